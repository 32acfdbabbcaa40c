#include "cli/app_format.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "cli/table.h"

namespace pelato::cli {
namespace {

using lattice::Json;

// "reconciling (1 of 3 ready)" or just "deployed".
std::string statusText(const lattice::StatusInfo& info) {
  std::string type(lattice::statusTypeName(info.type));
  return info.message.empty() ? type : fmt::format("{} ({})", type, info.message);
}

// Whether a plain YAML scalar with this text would read back as a number, bool or null rather
// than a string (YAML 1.1 and 1.2 core schema words, and anything numeric).
bool looksLikeNonString(const std::string& text) {
  if (text.empty()) return true;
  std::string lower = text;
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::array kWords{"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
                                     ".inf", "-.inf", "+.inf", ".nan"};
  if (std::ranges::find(kWords, lower) != kWords.end()) return true;
  if (lower.starts_with("0x") || lower.starts_with("0o")) return true;
  std::string_view number = text;
  if (number.starts_with('+')) number.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  return ec == std::errc() && end == number.data() + number.size();
}

void emitString(YAML::Emitter& out, const std::string& text) {
  if (looksLikeNonString(text))
    out << YAML::DoubleQuoted << text;
  else
    out << text;
}

void emit(YAML::Emitter& out, const Json& json) {
  switch (json.type()) {
    case Json::value_t::object:
      if (json.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, value] : json.items()) {
        out << YAML::Key;
        emitString(out, key);
        out << YAML::Value;
        emit(out, value);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      if (json.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : json) emit(out, item);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string:
      emitString(out, json.get_ref<const std::string&>());
      break;
    case Json::value_t::boolean:
      out << json.get<bool>();
      break;
    case Json::value_t::number_unsigned:
      out << json.get<uint64_t>();
      break;
    case Json::value_t::number_integer:
      out << json.get<int64_t>();
      break;
    case Json::value_t::number_float:
      out << json.get<double>();
      break;
    default:  // null, and the binary and discarded kinds JSON text never produces
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string formatApps(const std::vector<lattice::ModelSummary>& models, const std::string& lattice) {
  if (models.empty())
    return fmt::format("no applications on lattice {}; deploy one with `pelato app deploy wadm.yaml`\n", lattice);
  Table table({"NAME", "LATEST", "DEPLOYED", "STATUS", "DESCRIPTION"});
  for (const auto& m : models)
    table.addRow({m.name, m.version, m.deployedVersion.value_or("-"), std::string(lattice::statusTypeName(m.status)),
                  m.description.value_or("")});
  return table.render();
}

std::string formatAppStatus(const std::string& name, const lattice::Status& status) {
  std::string out = fmt::format("{}: {}\n", name, statusText(status.info));
  if (!status.components.empty()) {
    Table table({"COMPONENT", "TYPE", "STATUS", "MESSAGE"});
    for (const auto& c : status.components)
      table.addRow({c.name, c.type, std::string(lattice::statusTypeName(c.info.type)), c.info.message});
    out += "\n" + table.render();
  }
  if (!status.scalers.empty()) {
    Table table({"SCALER", "KIND", "STATUS", "MESSAGE"});
    for (const auto& s : status.scalers)
      table.addRow({s.name.empty() ? s.id : s.name, s.kind, std::string(lattice::statusTypeName(s.info.type)),
                    s.info.message});
    out += "\n" + table.render();
  }
  return out;
}

std::string formatVersions(const std::vector<lattice::VersionInfo>& versions) {
  if (versions.empty()) return "no versions stored\n";
  Table table({"VERSION", "DEPLOYED"});
  for (const auto& v : versions) table.addRow({v.version, v.deployed ? "yes" : ""});
  return table.render();
}

std::string formatPutOutcome(const lattice::PutModelResponse& put, bool deployed) {
  std::string stored = fmt::format("{} version{} stored", put.totalVersions, put.totalVersions == 1 ? "" : "s");
  if (deployed) return fmt::format("deployed {} {} ({})\n", put.name, put.currentVersion, stored);
  return fmt::format("stored {} {} ({}), not deployed\n", put.name, put.currentVersion, stored);
}

std::string jsonToYaml(const Json& json) {
  YAML::Emitter out;
  emit(out, json);
  return std::string(out.c_str()) + "\n";
}

}  // namespace pelato::cli
