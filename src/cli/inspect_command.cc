// `pelato inspect`: what a module imports, exports, and carries.
#include <fmt/format.h>

#include "cli/commands.h"
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

}  // namespace

void addInspectCommand(CLI::App& app, Action& action) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("inspect", "Show a module's imports, exports, memories and custom sections");
  cmd->add_option("module", *path, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  cmd->callback([path, &action] { action = [path] { return inspect(*path); }; });
}

}  // namespace pelato::cli
