// `pelato compile`: builds a module's AOT artifact into the cache and prints its path.
#include <fmt/format.h>

#include "cli/commands.h"
#include "runtime/engine.h"

namespace pelato::cli {

namespace {

struct CompileOptions {
  std::string module;
  bool quiet = false;
};

int compile(const CompileOptions& o) {
  auto module = runtime::Module::loadFile(o.module);
  if (!module) {
    if (!o.quiet) fmt::print(stderr, "error: {}\n", module.error().message());
    return 1;
  }
  auto engine = runtime::Engine::create({.tier = runtime::Tier::Aot});
  if (!engine) {
    if (!o.quiet) fmt::print(stderr, "error: {}\n", engine.error().message());
    return 1;
  }
  if (!o.quiet) fmt::print(stderr, "compiling {} (wasm2c + C compiler)...\n", o.module);
  auto path = (*engine)->compile(*module);
  if (!path) {
    if (!o.quiet) fmt::print(stderr, "error: {}: {}\n", o.module, path.error().message());
    return 1;
  }
  if (!o.quiet) fmt::print("{}\n", path->string());
  return 0;
}

}  // namespace

void addCompileCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<CompileOptions>();
  auto* cmd = app.add_subcommand("compile", "Compile a module to native code (AOT tier) and print the artifact path");
  cmd->add_option("module", options->module, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  cmd->add_flag("-q,--quiet", options->quiet, "Print nothing; the exit code tells");
  cmd->callback([options, &action] { action = [options] { return compile(*options); }; });
}

}  // namespace pelato::cli
