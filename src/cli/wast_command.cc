// `pelato wast`: WebAssembly spec test scripts, ending with "N passed, M failed".
#include <fmt/format.h>

#include "cli/commands.h"
#include "runtime/aot_compiler.h"
#include "runtime/wast_runner.h"

namespace pelato::cli {

namespace {

struct WastOptions {
  std::vector<std::string> files;
  bool quiet = false;
  std::string tier = "interp";
};

int runWast(const WastOptions& o) {
  int passed = 0, failed = 0;
  for (const auto& file : o.files) {
    auto summary = runtime::runWastFile(file, {.aot = o.tier == "aot", .cacheDir = runtime::aot::defaultCacheDir()});
    if (!summary) {
      fmt::print(stderr, "error: {}\n", summary.error().message());
      ++failed;
      continue;
    }
    if (!o.quiet)
      for (const auto& f : summary->failures) fmt::print("{}\n", f);
    if (o.files.size() > 1) fmt::print("{}: {} passed, {} failed\n", file, summary->passed, summary->failed);
    passed += summary->passed;
    failed += summary->failed;
  }
  fmt::print("{} passed, {} failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void addWastCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<WastOptions>();
  auto* cmd = app.add_subcommand("wast", "Run WebAssembly spec test scripts");
  cmd->add_option("files", options->files, "FILE.wast...")->required()->check(CLI::ExistingFile);
  cmd->add_flag("-q,--quiet", options->quiet, "Print only the totals");
  cmd->add_option("--tier", options->tier, "interp, or aot to compile every module with wasm2c")
      ->capture_default_str()
      ->check(CLI::IsMember({"interp", "aot"}));
  cmd->callback([options, &action] { action = [options] { return runWast(*options); }; });
}

}  // namespace pelato::cli
