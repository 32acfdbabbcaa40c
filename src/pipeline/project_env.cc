#include "pipeline/project_env.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/file.h"
#include "pipeline/suggest.h"

namespace pelato::pipeline {

namespace {

constexpr std::string_view kNames[] = {"REGISTRY_URL",   "REGISTRY_USER", "REGISTRY_PASSWORD",
                                       "PARALLEL_BUILD", "NATS_HOST",     "NATS_PORT",
                                       "ENABLE_METRICS", "LATTICE"};

// One setting's value and where it came from, for messages.
struct Source {
  std::string value;
  std::string where;  // "DIR/.env:4" or "environment"
};

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The thesis writes True/False (Python); shells and compose files write the rest.
std::optional<bool> parseBool(std::string_view s) {
  std::string l = lowered(s);
  if (l == "true" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "no" || l == "off") return false;
  return std::nullopt;
}

std::optional<uint64_t> parseUnsigned(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::unexpected<Error> bad(const Source& s, std::string_view name, std::string_view reason) {
  return fail("{}: {}={}: {}", s.where, name, s.value, reason);
}

Result<std::string> registryUrl(const Source& s) {
  std::string_view v = s.value;
  if (v.find("://") != std::string_view::npos)
    return bad(s, "REGISTRY_URL",
               "give host[:port][/namespace] without a scheme, e.g. localhost:5000/pelato (images "
               "become REGISTRY_URL/<component_name>:<version>)");
  while (v.ends_with('/')) v.remove_suffix(1);
  if (v.empty() || v.starts_with('/') ||
      std::any_of(v.begin(), v.end(), [](unsigned char c) { return c <= ' ' || c == 0x7F; }))
    return bad(s, "REGISTRY_URL", "give host[:port][/namespace], e.g. localhost:5000/pelato");
  return std::string(v);
}

Result<unsigned> parallelBuild(const Source& s, unsigned cores) {
  if (auto b = parseBool(s.value)) return *b ? cores : 1u;
  auto n = parseUnsigned(s.value);
  if (!n || *n == 0)
    return bad(s, "PARALLEL_BUILD",
               "use True (one build per core), False (one at a time) or a number of builds at "
               "once (1 or more)");
  return static_cast<unsigned>(std::min<uint64_t>(*n, cores));
}

Result<uint16_t> natsPort(const Source& s) {
  auto n = parseUnsigned(s.value);
  if (!n || *n == 0 || *n > 65535)
    return bad(s, "NATS_PORT", "use a TCP port from 1 to 65535 (nats-server listens on 4222)");
  return static_cast<uint16_t>(*n);
}

Result<std::string> natsHost(const Source& s) {
  if (std::any_of(s.value.begin(), s.value.end(),
                  [](unsigned char c) { return c <= ' ' || c == 0x7F || c == '/'; }) ||
      s.value.find("://") != std::string::npos)
    return bad(s, "NATS_HOST",
               "use a host name or IP address without scheme or port, e.g. "
               "127.0.0.1 (the port goes in NATS_PORT)");
  return s.value;
}

Result<std::string> lattice(const Source& s) {
  // It is a token in every control subject (wasmbus.ctl.v1.<lattice>.…).
  bool ok = std::all_of(s.value.begin(), s.value.end(),
                        [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
  if (!ok)
    return bad(s, "LATTICE",
               "use letters, digits, '_' and '-' (it is a NATS subject token), e.g. default");
  return s.value;
}

}  // namespace

std::vector<std::string_view> settingNames() { return {std::begin(kNames), std::end(kNames)}; }

Result<ProjectSettings> resolveSettings(const std::vector<EnvEntry>& file, std::string_view envFile,
                                        const Environment& environment, unsigned cores) {
  cores = std::max(cores, 1u);
  std::map<std::string_view, Source> values;
  for (const EnvEntry& e : file) {
    if (std::find(std::begin(kNames), std::end(kNames), e.key) == std::end(kNames))
      return fail("{}:{}: unknown setting {}{}; known: {}", envFile, e.line, e.key,
                  didYouMean(e.key, kNames), fmt::join(kNames, ", "));
    values[*std::find(std::begin(kNames), std::end(kNames), e.key)] =
        Source{e.value, fmt::format("{}:{}", envFile, e.line)};
  }
  for (std::string_view name : kNames)
    if (auto it = environment.find(name); it != environment.end())
      values[name] = Source{it->second, "environment"};

  ProjectSettings out;
  out.parallelBuild = cores;  // the thesis's .env.template: PARALLEL_BUILD=True
  for (const auto& [name, source] : values) {
    if (source.value.empty()) continue;  // "REGISTRY_URL=" as in the thesis's template: default
    if (name == "REGISTRY_URL") {
      auto v = registryUrl(source);
      if (!v) return std::unexpected(v.error());
      out.registryUrl = *v;
    } else if (name == "REGISTRY_USER") {
      out.registryUser = source.value;
    } else if (name == "REGISTRY_PASSWORD") {
      out.registryPassword = source.value;
    } else if (name == "PARALLEL_BUILD") {
      auto v = parallelBuild(source, cores);
      if (!v) return std::unexpected(v.error());
      out.parallelBuild = *v;
    } else if (name == "NATS_HOST") {
      auto v = natsHost(source);
      if (!v) return std::unexpected(v.error());
      out.natsHost = *v;
    } else if (name == "NATS_PORT") {
      auto v = natsPort(source);
      if (!v) return std::unexpected(v.error());
      out.natsPort = *v;
    } else if (name == "ENABLE_METRICS") {
      auto v = parseBool(source.value);
      if (!v && (source.value == "1" || source.value == "0")) v = source.value == "1";
      if (!v) return bad(source, name, "use True or False");
      out.enableMetrics = *v;
    } else if (name == "LATTICE") {
      auto v = lattice(source);
      if (!v) return std::unexpected(v.error());
      out.lattice = *v;
    }
  }
  return out;
}

Result<ProjectSettings> loadProjectSettings(const std::filesystem::path& projectDir,
                                            const Environment& environment, unsigned cores) {
  std::filesystem::path path = projectDir / kEnvFileName;
  std::vector<EnvEntry> entries;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto text = readTextFile(path);
    if (!text) return std::unexpected(text.error());
    auto parsed = parseEnvFile(*text, path.string());
    if (!parsed) return std::unexpected(parsed.error());
    entries = std::move(*parsed);
  }
  return resolveSettings(entries, path.string(), environment, cores);
}

}  // namespace pelato::pipeline
