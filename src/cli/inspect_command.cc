// `pelato inspect`: what a module imports, exports, and carries; or, for an image ref that is
// not a file, the artifact's manifest and config in its registry.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/registry_options.h"
#include "oci/media_types.h"
#include "oci/registry_client.h"
#include "runtime/module.h"

namespace pelato::cli {

namespace {

int inspect(const std::string& path) {
  auto module = runtime::Module::loadFile(path);
  if (!module) {
    fmt::print(stderr, "error: {}\n", module.error().message());
    return 1;
  }
  fmt::print("module {}\n  size {} bytes\n  sha256 {}\n", path, module->bytes().size(), module->digest());
  fmt::print("imports ({}):\n", module->imports().size());
  for (const auto& i : module->imports()) {
    fmt::print("  {} {}.{}{}\n", toString(i.kind), i.module, i.name,
               i.kind == runtime::ExternKind::Func ? " " + toString(i.funcType) : "");
  }
  fmt::print("exports ({}):\n", module->exports().size());
  for (const auto& e : module->exports()) {
    fmt::print("  {} {}{}\n", toString(e.kind), e.name,
               e.kind == runtime::ExternKind::Func ? " " + toString(e.funcType) : "");
  }
  fmt::print("memories ({}):\n", module->memories().size());
  for (size_t i = 0; i < module->memories().size(); ++i) {
    const auto& m = module->memories()[i];
    fmt::print("  memory[{}] initial {} pages ({} KiB), max {}\n", i, m.initialPages, m.initialPages * 64,
               m.maxPages ? fmt::format("{} pages", *m.maxPages) : "none");
  }
  fmt::print("custom sections ({}):\n", module->customSections().size());
  for (const auto& s : module->customSections()) fmt::print("  {} ({} bytes)\n", s.name, s.size);
  return 0;
}

void printAnnotations(const oci::Annotations& annotations, std::string_view indent) {
  for (const auto& [key, value] : annotations) fmt::print("{}{} = {}\n", indent, key, value);
}

int inspectRemote(const oci::ImageRef& ref, const RegistryFlags& flags) {
  auto client = oci::RegistryClient::create(registryOptions(flags));
  if (!client) {
    fmt::print(stderr, "error: {}\n", client.error().message());
    return 1;
  }
  auto artifact = client->inspectWasm(ref);
  if (!artifact) {
    fmt::print(stderr, "error: {}\n", artifact.error().message());
    return 1;
  }
  const auto& m = artifact->manifest.manifest;
  fmt::print("image {}\n  manifest {} ({} bytes, {})\n", ref.toString(), artifact->manifest.digest,
             artifact->manifest.json.size(), m.mediaType.empty() ? "no mediaType" : m.mediaType);
  if (!m.artifactType.empty()) fmt::print("  artifactType {}\n", m.artifactType);
  fmt::print("config {} ({} bytes, {})\n", m.config.digest, m.config.size, m.config.mediaType);
  if (artifact->config) {
    const auto& c = *artifact->config;
    fmt::print("  architecture {}, os {}, created {}\n", c.architecture, c.os.empty() ? "-" : c.os,
               c.created.empty() ? "-" : c.created);
  }
  fmt::print("layers ({}):\n", m.layers.size());
  for (const auto& layer : m.layers) {
    fmt::print("  {} ({} bytes, {}){}\n", layer.digest, layer.size, layer.mediaType,
               layer.digest == artifact->layer.digest ? " <- module" : "");
    printAnnotations(layer.annotations, "    ");
  }
  if (!m.annotations.empty()) {
    fmt::print("annotations ({}):\n", m.annotations.size());
    printAnnotations(m.annotations, "  ");
  }
  return 0;
}

struct InspectOptions {
  std::string target;
  RegistryFlags registry;
};

// A file wins; otherwise the argument must be an image ref.
int inspectTarget(const InspectOptions& o) {
  std::error_code ec;
  if (std::filesystem::exists(o.target, ec)) return inspect(o.target);
  auto ref = oci::parseImageRef(o.target);
  if (!ref) {
    fmt::print(stderr, "error: '{}' is neither a file nor an image ref ({})\n", o.target, ref.error().message());
    return 1;
  }
  return inspectRemote(*ref, o.registry);
}

}  // namespace

void addInspectCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand(
      "inspect", "Show a module's imports, exports, memories and custom sections, or an image ref's manifest and config");
  cmd->add_option("target", o->target, "MODULE.wasm or an image ref host[:port]/repository[:tag]")->required();
  addRegistryFlags(cmd, o->registry);
  cmd->callback([o, &action] { action = [o] { return inspectTarget(*o); }; });
}

}  // namespace pelato::cli
