#include "runtime/aot_compiler.h"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/file.h"
#include "common/sha256.h"
#include "common/subprocess.h"
#include "common/version.h"
#include "runtime/aot_glue.h"
#include "runtime/aot_patches.h"
#include "runtime/aot_rt_header.h"
#include "runtime/aot_support.h"

namespace pelato::runtime::aot {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::span<const uint8_t> bytesOf(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

fs::path defaultCacheDir() {
  if (const char* dir = std::getenv("PELATO_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "pelato";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "pelato";
  return fs::temp_directory_path() / "pelato-cache";
}

Result<Compiler> Compiler::create(CompilerOptions options) {
  auto version = runProcess({options.cc, "--version"}, {.timeout = std::chrono::seconds(10)});
  if (!version || version->exitCode != 0)
    return fail("no C compiler '{}' for the AOT tier (install gcc: `make setup`), or use --tier interp", options.cc);
  auto machine = runProcess({options.cc, "-dumpmachine"}, {.timeout = std::chrono::seconds(10)});
  if (!machine || machine->exitCode != 0) return fail("'{} -dumpmachine' failed", options.cc);
  std::string target = firstLine(machine->out);
  return Compiler(std::move(options), firstLine(version->out), target);
}

std::vector<std::string> Compiler::flags(bool explicitBoundsChecks) const {
  // No sibling-call optimisation: it turns wasm recursion into loops, so a runaway recursion
  // would spin instead of trapping with "call stack exhausted".
  // No induction-variable optimisation: on wasm2c's 32-bit address arithmetic gcc 12's ivopts
  // adds loop registers and spills them in hot loops (bench matmul: 0.95x -> 0.80x native).
  return {"-O2", "-fPIC", "-shared", "-ffp-contract=off", "-fno-optimize-sibling-calls", "-fno-ivopts", "-w",
          fmt::format("-DWASM_RT_MEMCHECK_SIGNAL_HANDLER={}", explicitBoundsChecks ? 0 : 1)};
}

std::string Compiler::cacheKey(const Module& module, bool explicitBoundsChecks) const {
  std::string material = fmt::format("{}|pelato {}|abi {}|{}|{}|{}|{}", module.digest(), kVersion, kAbiVersion,
                                     sha256Hex(bytesOf(wasmRtHeader())), identity_,
                                     fmt::join(flags(explicitBoundsChecks), " "), target_);
  return sha256Hex(bytesOf(material)).substr(0, 32);
}

std::optional<fs::path> Compiler::cached(const Module& module) const {
  auto plan = planAot(module);
  if (!plan) return std::nullopt;
  return cached(module, *plan);
}

std::optional<fs::path> Compiler::cached(const Module& module, const AotPlan& plan) const {
  std::string key = cacheKey(module, plan.explicitBoundsChecks);
  fs::path so = dir() / (key + ".so"), meta = dir() / (key + ".json");
  auto text = readTextFile(meta);
  if (!text) return std::nullopt;
  json j = json::parse(*text, nullptr, false);
  auto bytes = readFile(so);
  bool valid = !j.is_discarded() && j.is_object() && j.value("key", "") == key && bytes &&
               j.value("sha256", "") == sha256Hex(*bytes) && j.value("module", "") == module.digest();
  if (valid) return so;
  std::error_code ignored;  // a torn write, a bit flip or someone else's file: rebuild it
  fs::remove(meta, ignored);
  fs::remove(so, ignored);
  return std::nullopt;
}

Result<fs::path> Compiler::compile(const Module& module, const std::atomic<bool>* cancel) const {
  auto plan = planAot(module);
  if (!plan) return fail(std::move(plan.error()));
  if (auto hit = cached(module, *plan)) return *hit;

  std::error_code ec;
  fs::create_directories(dir(), ec);
  if (ec) return fail("cannot create the AOT cache {}: {}", dir().string(), ec.message());
  // Work next to the cache so the final rename stays on one file system.
  std::string pattern = (dir() / ".build-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return fail("cannot create a build directory in {}", dir().string());
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(p, ignored);
    }
  } cleanup{pattern};
  fs::path work = pattern;

  auto glue = generateGlue(module);
  if (!glue) return fail(std::move(glue.error()));
  if (auto ok = writeFileAtomic(work / "module.wasm", module.bytes()); !ok) return fail(std::move(ok.error()));
  if (auto ok = writeFileAtomic(work / "wasm-rt.h", bytesOf(wasmRtHeader())); !ok) return fail(std::move(ok.error()));
  if (auto ok = writeFileAtomic(work / "glue.c", bytesOf(*glue)); !ok) return fail(std::move(ok.error()));

  auto translated = runProcess({"wasm2c", (work / "module.wasm").string(), "-n", std::string(kModuleName), "-o",
                                (work / "module.c").string()},
                               {.timeout = std::chrono::minutes(5), .cancel = cancel});
  if (!translated) return fail(std::move(translated.error()));
  if (translated->exitCode != 0)
    return fail("wasm2c could not translate the module (exit {}): {}", translated->exitCode, firstLine(translated->err));

  auto source = readTextFile(work / "module.c");
  if (!source) return fail(std::move(source.error()));
  if (!patchWasm2cOutput(*source, *plan))
    return fail("wasm2c's output is not shaped as pelato expects (wasm2c {} needed): cannot bound far memory offsets "
                "or give imported functions in tables their context",
                "1.0.32");
  auto access = generateStateAccess(module, *source);
  if (!access) return fail(std::move(access.error()));
  *source += *access;
  if (auto ok = writeFileAtomic(work / "module.c", bytesOf(*source)); !ok) return fail(std::move(ok.error()));

  std::vector<std::string> cc = {options_.cc};
  for (auto& f : flags(plan->explicitBoundsChecks)) cc.push_back(f);
  fs::path out = work / "module.so";
  // Relative names, run in the build directory: its random name must not end up in the
  // artifact. Builds of one module are then byte-identical, so when concurrent builds race to
  // the same cache entry, any one's metadata matches any one's shared object (else cached()
  // would see a mismatched pair and delete an artifact that another builder is about to load).
  cc.insert(cc.end(), {"-I.", "module.c", "glue.c", "-o", "module.so"});
  auto built = runProcess(cc, {.cwd = work, .timeout = std::chrono::minutes(10), .cancel = cancel});
  if (!built) return fail(std::move(built.error()));
  if (built->exitCode != 0) return fail("{} failed on the translated module:\n{}", options_.cc, built->err);

  auto so = readFile(out);
  if (!so) return fail(std::move(so.error()));
  std::string key = cacheKey(module, plan->explicitBoundsChecks);
  fs::path finalSo = dir() / (key + ".so");
  fs::rename(out, finalSo, ec);
  if (ec) return fail("cannot store the artifact in {}: {}", dir().string(), ec.message());
  json meta = {{"key", key},           {"sha256", sha256Hex(*so)}, {"module", module.digest()},
               {"pelato", kVersion},   {"abi", kAbiVersion},       {"compiler", identity_},
               {"target", target_},    {"flags", flags(plan->explicitBoundsChecks)}};
  if (auto ok = writeFileAtomic(dir() / (key + ".json"), bytesOf(meta.dump(2))); !ok) return fail(std::move(ok.error()));
  return finalSo;
}

}  // namespace pelato::runtime::aot
