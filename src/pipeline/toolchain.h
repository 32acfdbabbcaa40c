// The compilers that turn a generated task folder into a wasm module, per language, found on
// this machine: clang-19/clang++-19 (wasm32-wasi), Debian's rustc with the wasm32-wasi standard
// library, AssemblyScript's asc from npm, TinyGo. A missing one is an error that says what to
// install. Each toolchain has an identity (its version line) that the build cache keys on.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "pipeline/language.h"
#include "pipeline/project_env.h"

namespace pelato::pipeline {

struct Toolchain {
  Language lang;
  std::filesystem::path compiler;
  std::string identity;  // the compiler's first `--version` line
};

struct ToolSearch {
  Environment environment;  // PATH, and PELATO_CC/PELATO_CXX/PELATO_RUSTC/PELATO_ASC/PELATO_TINYGO to override
  // Folders whose node_modules/.bin (theirs or a parent's) may hold asc: the project's, and
  // pelato's own installation.
  std::vector<std::filesystem::path> nodeRoots;
};

Result<Toolchain> findToolchain(Language lang, const ToolSearch& search);

// The command that builds `taskFile` (relative to the task's gen folder, where it runs) into
// `output` (absolute). The glue's entry file names are fixed by templates/languages/<lang>/.
std::vector<std::string> buildCommand(const Toolchain& toolchain, const std::string& taskFile,
                                      const std::filesystem::path& output);

}  // namespace pelato::pipeline
