// Runs WebAssembly spec test scripts (.wast) on the interpreter tier: wast2json (Debian wabt)
// turns the script into JSON commands plus binary modules, and this drives them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato::runtime {

struct WastSummary {
  int passed = 0;
  int failed = 0;
  std::vector<std::string> failures;  // "file.wast:12: assert_return: expected i32:1, got i32:2"
};

struct WastOptions {
  bool aot = false;                   // run the modules as compiled code instead of interpreting
  std::filesystem::path cacheDir;     // for aot
};

// Fails only when the script cannot be converted or read (e.g. a syntax error); failed
// assertions are counted in the summary.
Result<WastSummary> runWastFile(const std::filesystem::path& wast, const WastOptions& options = {});

// Runs an already converted script (wast2json output) from `dir`.
Result<WastSummary> runWastJson(const std::filesystem::path& json, const WastOptions& options = {});

}  // namespace pelato::runtime
