#include "pipeline/toolchain.h"

#include <unistd.h>

#include "common/subprocess.h"

namespace pelato::pipeline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string envOf(const ToolSearch& search, std::string_view name) {
  auto it = search.environment.find(name);
  return it == search.environment.end() ? std::string() : it->second;
}

bool executable(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<fs::path> onPath(const ToolSearch& search, std::string_view name) {
  return findOnPath(name, envOf(search, "PATH"));
}

// An override variable (which must name an executable) or the first of `names` on PATH.
Result<std::optional<fs::path>> locate(const ToolSearch& search, std::string_view overrideVar,
                                       std::initializer_list<std::string_view> names) {
  if (std::string given = envOf(search, overrideVar); !given.empty()) {
    if (given.find('/') == std::string::npos)
      if (auto found = onPath(search, given)) return found;
    if (!executable(given)) return fail("{}={} is not an executable file", overrideVar, given);
    return std::optional<fs::path>(given);
  }
  for (auto name : names)
    if (auto found = onPath(search, name)) return found;
  return std::optional<fs::path>();
}

Result<std::string> identity(const fs::path& compiler) {
  auto run = runProcess({compiler.string(), "--version"}, {.timeout = 30s});
  if (!run) return fail(std::move(run.error()));
  if (run->exitCode != 0) return fail("{} --version failed (exit {}): {}", compiler.string(), run->exitCode, run->err);
  std::string text = run->out.empty() ? run->err : run->out;
  return text.substr(0, text.find('\n'));
}

// Debian's rustc has wasm32-wasi when libstd-rust-dev-wasm32 is installed; a rustup toolchain
// only after `rustup target add`.
bool hasWasiStd(const fs::path& rustc) {
  auto run = runProcess({rustc.string(), "--print", "sysroot"}, {.timeout = 30s});
  if (!run || run->exitCode != 0) return false;
  std::string sysroot = run->out.substr(0, run->out.find('\n'));
  std::error_code ec;
  return fs::is_directory(fs::path(sysroot) / "lib" / "rustlib" / "wasm32-wasi", ec);
}

Result<fs::path> findRustc(const ToolSearch& search) {
  auto given = locate(search, "PELATO_RUSTC", {});
  if (!given) return fail(std::move(given.error()));
  if (*given) {
    if (!hasWasiStd(**given))
      return fail("PELATO_RUSTC={} has no wasm32-wasi standard library (install Debian's libstd-rust-dev-wasm32, "
                  "or `rustup target add wasm32-wasi` for a rustup toolchain)", (*given)->string());
    return **given;
  }
  // Debian's first: the rustc a rustup install puts first on PATH often lacks the target.
  std::vector<fs::path> candidates;
  if (executable("/usr/bin/rustc")) candidates.emplace_back("/usr/bin/rustc");
  if (auto path = onPath(search, "rustc")) candidates.push_back(*path);
  for (const auto& rustc : candidates)
    if (hasWasiStd(rustc)) return rustc;
  return fail("no rustc with the wasm32-wasi target{}: install Debian's rustc and libstd-rust-dev-wasm32 "
              "(`make setup` does), or set PELATO_RUSTC",
              candidates.empty() ? " (no rustc at all)" : "");
}

Result<fs::path> findAsc(const ToolSearch& search) {
  auto given = locate(search, "PELATO_ASC", {});
  if (!given) return fail(std::move(given.error()));
  if (*given) return **given;
  for (const auto& root : search.nodeRoots) {
    std::error_code ec;
    for (fs::path dir = fs::absolute(root, ec); !dir.empty(); dir = dir.parent_path()) {
      if (executable(dir / "node_modules" / ".bin" / "asc")) return dir / "node_modules" / ".bin" / "asc";
      if (dir == dir.root_path()) break;
    }
  }
  if (auto path = onPath(search, "asc")) return *path;
  return fail("AssemblyScript's compiler (asc) not found: run `npm install assemblyscript` in the project "
              "folder, or set PELATO_ASC");
}

Result<fs::path> findCompiler(Language lang, const ToolSearch& search) {
  switch (lang) {
    case Language::C:
    case Language::Cpp: {
      bool cpp = lang == Language::Cpp;
      auto found = locate(search, cpp ? "PELATO_CXX" : "PELATO_CC", {cpp ? "clang++-19" : "clang-19"});
      if (!found) return fail(std::move(found.error()));
      if (!*found)
        return fail("{} not found on PATH: install Debian's clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32{} "
                    "(`make setup` does), or set {}",
                    cpp ? "clang++-19" : "clang-19", cpp ? " libc++-19-dev-wasm32 libc++abi-19-dev-wasm32" : "",
                    cpp ? "PELATO_CXX" : "PELATO_CC");
      return **found;
    }
    case Language::Rust:
      return findRustc(search);
    case Language::AssemblyScript:
      return findAsc(search);
    case Language::Go: {
      auto found = locate(search, "PELATO_TINYGO", {"tinygo"});
      if (!found) return fail(std::move(found.error()));
      if (!*found)
        return fail("Go tasks need TinyGo, and tinygo is not on PATH (Debian does not package it): install it from "
                    "https://tinygo.org, or write the task in c, cpp, rust or as");
      return **found;
    }
  }
  return fail("unknown language");
}

}  // namespace

Result<Toolchain> findToolchain(Language lang, const ToolSearch& search) {
  auto compiler = findCompiler(lang, search);
  if (!compiler) return fail(std::move(compiler.error()));
  auto id = identity(*compiler);
  if (!id) return fail(std::move(id.error()));
  return Toolchain{.lang = lang, .compiler = *compiler, .identity = *id};
}

std::vector<std::string> buildCommand(const Toolchain& toolchain, const std::string& taskFile,
                                      const std::filesystem::path& output) {
  std::string cc = toolchain.compiler.string();
  switch (toolchain.lang) {
    case Language::C:
      return {cc, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor", "-Wl,--strip-debug", "-I.",
              "-include", "glue.h", taskFile, "-o", output.string()};
    case Language::Cpp:
      return {cc, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-fno-exceptions", "-mexec-model=reactor",
              "-Wl,--strip-debug", "-I.", "-include", "glue.h", taskFile, "-o", output.string()};
    case Language::Rust:
      return {cc, "--target", "wasm32-wasi", "-O", "--edition", "2021", "--crate-type", "cdylib", "lib.rs", "-o",
              output.string()};
    case Language::AssemblyScript:
      // No env.abort/trace/seed imports (the host provides only WASI and pelato.*): the glue's own.
      return {cc, "glue.ts", "-o", output.string(), "--optimize", "--exportStart", "_initialize",
              "--use", "abort=glue/pelato_abort", "--use", "trace=glue/pelato_trace", "--use", "seed=glue/pelato_seed"};
    case Language::Go:
      // c-shared: a reactor (_initialize), not a command (_start), which tasks may not export.
      return {cc, "build", "-target=wasi", "-buildmode=c-shared", "-no-debug", "-o", output.string(), "."};
  }
  return {};
}

}  // namespace pelato::pipeline
