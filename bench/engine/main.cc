// bench_engine: the engine tiers against native code and against Node.js, on the same kernels.
//
// Every kernel in bench/engine/kernels/*.c is compiled twice from the same source: to a wasm
// reactor (clang-19 -O2, see bench/CMakeLists.txt) and natively into this executable (the
// host C compiler, -O2). In this process, each kernel runs natively, on the AOT tier (wasm2c +
// cc, through runtime::Engine with Tier::Aot) and on the interpreter tier, with the same inputs;
// every result is compared (a mismatch aborts) and the ratio of the median times to native is
// printed. Times are the thread's CPU time, so time spent descheduled on a shared machine does
// not count; wall-clock ratios are printed alongside. Rounds interleave native, AOT and
// interpreted runs so that slower drifts (frequency, cache-hungry neighbours) affect all of them.
//
// The node column runs the same .wasm on V8 (bench/engine/node_runner.mjs, WebAssembly JS API)
// in a subprocess, with the same inputs, and its results are checked against native too.
//
// AOT compilation (wasm2c + cc -O2) goes to a fresh temporary cache (or $PELATO_CACHE_DIR when
// set) and is timed separately, never inside the kernel timings.
//
// Instantiation is reported in absolute microseconds and against two baselines: one call of
// an empty export (what a warm instance costs per message) and posix_spawn+wait of /bin/true
// (what a fresh native process costs, the thing a fresh instance replaces).
//
// Usage: bench_engine [--reps N] [--native-per-round K] [--scale F] [--only KERNEL]
//                     [--guest-dir DIR] [--no-interp] [--no-node] [--node BIN]
#include <spawn.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "support/cache_dir.h"
#include "common/subprocess.h"
#include "runtime/engine.h"
#include "runtime/host_function.h"
#include "runtime/instance.h"
#include "runtime/limits.h"
#include "runtime/module.h"
#include "runtime/value.h"
#include "runtime/wasi_context.h"

extern "C" {
uint32_t bench_fib(uint32_t n);
uint32_t bench_nop(uint32_t n);
uint32_t bench_sha256_setup(uint32_t len);
uint32_t bench_sha256(uint32_t iters);
uint32_t bench_sha256_selftest(void);
uint32_t bench_json_setup(uint32_t records);
uint32_t bench_json(uint32_t passes);
uint32_t bench_json_selftest(void);
uint32_t bench_matmul_setup(uint32_t n);
uint32_t bench_matmul(uint32_t n);
}

#ifndef PELATO_GUEST_DIR
#error "PELATO_GUEST_DIR must be defined (bench/CMakeLists.txt does)"
#endif
#ifndef PELATO_BENCH_SOURCE_DIR
#error "PELATO_BENCH_SOURCE_DIR must be defined (bench/CMakeLists.txt does)"
#endif

namespace {

using namespace pelato;
using Clock = std::chrono::steady_clock;
using runtime::Value;
namespace fs = std::filesystem;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "bench_engine: %s\n", message.c_str());
  std::fflush(stdout);
  std::abort();
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: time spent descheduled by a noisy neighbour does not count.
double threadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// One timed run: thread CPU time (what the ratios use) and wall time.
struct Timer {
  double cpu0 = threadCpuSeconds();
  Clock::time_point wall0 = Clock::now();
  std::pair<double, double> stop() const { return {threadCpuSeconds() - cpu0, secondsSince(wall0)}; }
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}


double geomean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double logSum = 0;
  for (double x : v) logSum += std::log(x);
  return std::exp(logSum / v.size());
}

// "1.23 ms", "456 µs", "2.10 s", "85 ns"
std::string human(double seconds) {
  if (seconds >= 1) return fmt::format("{:.2f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.2f} ms", seconds * 1e3);
  if (seconds >= 1e-6) return fmt::format("{:.1f} µs", seconds * 1e6);
  return fmt::format("{:.0f} ns", seconds * 1e9);
}

// "1.07x", "293x": two decimals below 10, none above.
std::string ratioText(double r) { return r < 10 ? fmt::format("{:.2f}x", r) : fmt::format("{:.0f}x", r); }

struct Options {
  int reps = 5;             // measured rounds; each runs the interpreter once
  int nativePerRound = 5;   // native and AOT runs per round (they are cheap: more samples, same wall time)
  double scale = 1.0;       // multiplies the input sizes (0.1 for a quick smoke run)
  std::string only;         // run just this kernel
  std::string guestDir = PELATO_GUEST_DIR;
  bool interp = true;
  bool node = true;
  std::string nodeBin = "node";
};

Options parseArgs(int argc, char** argv) {
  Options o;
  bool noInterp = false, noNode = false;
  CLI::App app{"pelato engine benchmark: native vs AOT vs interpreter vs node on the same C kernels.\n"
               "AOT artifacts go to $PELATO_CACHE_DIR if set, else to a temporary directory removed at exit."};
  app.add_option("--reps", o.reps, "measured rounds")->check(CLI::PositiveNumber);
  app.add_option("--native-per-round", o.nativePerRound, "native and AOT runs per round")->check(CLI::PositiveNumber);
  app.add_option("--scale", o.scale, "multiplies the input sizes (0.1: a quick smoke run)")->check(CLI::PositiveNumber);
  app.add_option("--only", o.only, "run just this kernel (fib, sha256, json, matmul)");
  app.add_option("--guest-dir", o.guestDir, "where the wasm kernels are");
  app.add_flag("--no-interp", noInterp, "skip the interpreter tier");
  app.add_flag("--no-node", noNode, "skip node");
  app.add_option("--node", o.nodeBin, "the node binary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  o.interp = !noInterp;
  o.node = !noNode;
  return o;
}


uint32_t callOn(runtime::Instance& instance, const std::string& what, const std::string& name, std::vector<Value> args) {
  auto r = instance.call(name, args);
  if (!r) die(fmt::format("{}: calling {}: {}", what, name, r.error().describe()));
  if (r->size() != 1 || (*r)[0].type != runtime::ValType::I32) die(fmt::format("{}: {} did not return one i32", what, name));
  return (*r)[0].asI32();
}

void initialize(runtime::Instance& instance, const std::string& what) {
  if (!instance.module().findExport("_initialize")) return;
  auto r = instance.call("_initialize", {});
  if (!r) die(fmt::format("{}: _initialize: {}", what, r.error().describe()));
}

// A loaded guest with its reactor instantiated (and initialised) on the interpreter and,
// when an engine is given, on the AOT tier.
struct Guest {
  std::string path;
  size_t bytes = 0;
  runtime::Module module;
  std::unique_ptr<runtime::WasiContext> wasi;  // outlives the instances
  runtime::HostFunctions host;
  std::unique_ptr<runtime::Instance> interp, aot;
  double aotCompileSeconds = 0;  // wall: wasm2c + cc (subprocesses)
  bool aotCached = false;        // the artifact was already in $PELATO_CACHE_DIR
  double aotLoadSeconds = 0;     // wall: first instantiate (verify + dlopen the artifact) + _initialize

  uint32_t call(const std::string& name, std::vector<Value> args) { return callOn(*interp, path + " (interp)", name, args); }
  uint32_t callAot(const std::string& name, std::vector<Value> args) { return callOn(*aot, path + " (aot)", name, args); }
};

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die(fmt::format("cannot read {}: build the guests first (bench/engine/run.sh BUILD_DIR does)", path));
  return {std::istreambuf_iterator<char>(in), {}};
}

runtime::HostFunctions hostFor(const runtime::Module& module, std::unique_ptr<runtime::WasiContext>& wasi) {
  runtime::HostFunctions host;
  if (!module.imports().empty()) {  // the kernels import nothing today; stay correct if that changes
    auto ctx = runtime::WasiContext::create({.args = {"bench_engine"}});
    if (!ctx) die("creating the WASI context: " + ctx.error().message());
    wasi = std::move(*ctx);
    host.add(wasi->functions());
  }
  return host;
}

std::unique_ptr<runtime::Instance> instantiate(const runtime::Module& module, const runtime::HostFunctions& host,
                                               const std::string& path) {
  auto inst = runtime::instantiateInterp(module, host, runtime::Limits{});
  if (!inst) die(fmt::format("instantiating {}: {}", path, inst.error().message()));
  return std::move(*inst);
}

std::unique_ptr<runtime::Instance> instantiateAot(runtime::Engine& engine, const runtime::Module& module,
                                                  const runtime::HostFunctions& host, const std::string& path) {
  auto inst = engine.instantiate(module, host, runtime::Limits{});
  if (!inst) die(fmt::format("instantiating {} on the AOT tier: {}", path, inst.error().message()));
  return std::move(*inst);
}

Guest loadGuest(const std::string& dir, const std::string& name, runtime::Engine* engine = nullptr,
                const bench::CacheDir* cache = nullptr) {
  std::string path = dir + "/" + name + ".wasm";
  auto bytes = readFile(path);
  size_t size = bytes.size();
  auto module = runtime::Module::load(std::move(bytes));
  if (!module) die(fmt::format("loading {}: {}", path, module.error().message()));
  Guest g{path, size, std::move(*module), nullptr, {}, nullptr, nullptr};
  g.host = hostFor(g.module, g.wasi);
  g.interp = instantiate(g.module, g.host, path);
  initialize(*g.interp, path);
  if (engine) {
    auto before = cache->artifacts();
    auto t0 = Clock::now();
    auto artifact = engine->compile(g.module);
    g.aotCompileSeconds = secondsSince(t0);
    if (!artifact) die(fmt::format("compiling {} for the AOT tier: {}", path, artifact.error().message()));
    g.aotCached = before.contains(*artifact);
    t0 = Clock::now();
    g.aot = instantiateAot(*engine, g.module, g.host, path);
    initialize(*g.aot, path + " (aot)");
    g.aotLoadSeconds = secondsSince(t0);
  }
  return g;
}

struct Kernel {
  std::string name;   // also the guest: bench_<name>.wasm
  std::string what;   // the input, for the table
  std::string setupExport;                    // "" when there is no setup
  uint32_t setupArg = 0;
  std::function<uint32_t(uint32_t)> nativeSetup;
  std::string runExport;
  uint32_t runArg = 0;
  std::function<uint32_t(uint32_t)> nativeRun;
  std::string selftestExport;                 // "" when there is none; must return 1
  std::function<uint32_t()> nativeSelftest;
};

uint32_t scaled(uint32_t base, double scale, uint32_t min) {
  return std::max<uint32_t>(min, static_cast<uint32_t>(std::llround(base * scale)));
}

std::vector<Kernel> kernels(double scale) {
  // Sized so that one interpreted run takes roughly 0.6 s on a quiet 2-core VM: the whole benchmark
  // takes ~15 s there and stays under a minute at the default --reps 5 even when the machine is
  // shared with a couple of busy processes.
  // fib's work grows as 1.618^n: scale it through n.
  uint32_t fibN = static_cast<uint32_t>(std::max(10.0, std::round(31 + std::log(scale) / std::log(1.618))));
  uint32_t shaLen = scaled(512u << 10, scale, 4096);
  uint32_t jsonRecords = scaled(8000, scale, 20);
  uint32_t mmN = std::min<uint32_t>(512, scaled(144, std::cbrt(scale), 8));
  return {
      {"fib", fmt::format("fib({}) recursive", fibN), "", 0, nullptr, "bench_fib", fibN, bench_fib, "", nullptr},
      {"sha256", fmt::format("{} KiB buffer", shaLen / 1024), "bench_sha256_setup", shaLen, bench_sha256_setup,
       "bench_sha256", 1, bench_sha256, "bench_sha256_selftest", bench_sha256_selftest},
      {"json", "", "bench_json_setup", jsonRecords, bench_json_setup, "bench_json", 1, bench_json,
       "bench_json_selftest", bench_json_selftest},
      {"matmul", fmt::format("{0}x{0} f64", mmN), "bench_matmul_setup", mmN, bench_matmul_setup, "bench_matmul",
       mmN, bench_matmul, "", nullptr},
  };
}

// What the node column got for one kernel.
struct NodeResult {
  std::string status;  // "" when it ran; else why there is no figure ("not installed", "failed: ...")
  double compileMs = 0;
  std::vector<double> cpu, wall;  // seconds
};

struct KernelResult {
  std::string name, what;
  uint32_t checksum = 0;
  std::vector<double> native, aot, interp;              // thread CPU seconds
  std::vector<double> nativeWall, aotWall, interpWall;  // wall seconds
  double aotCompileSeconds = 0, aotLoadSeconds = 0;
  bool aotCached = false;
  NodeResult node;
};

// One volatile hop so the native call cannot be hoisted or folded by the compiler.
uint32_t opaque(uint32_t v) {
  volatile uint32_t x = v;
  return x;
}

// `node` on $PATH (or an explicit path); empty when there is none.
std::string findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs the kernel in node (bench/engine/node_runner.mjs) and checks its results against native.
NodeResult runNode(const std::string& node, const Kernel& k, const std::string& wasm, int reps, uint32_t expectedSetup,
                   uint32_t expected) {
  NodeResult res;
  std::string runner = std::string(PELATO_BENCH_SOURCE_DIR) + "/engine/node_runner.mjs";
  std::vector<std::string> argv = {node,
                                   runner,
                                   wasm,
                                   k.runExport,
                                   std::to_string(k.runArg),
                                   k.setupExport.empty() ? "-" : std::to_string(k.setupArg),
                                   std::to_string(reps),
                                   "3"};
  auto run = runProcess(argv, {.timeout = std::chrono::minutes(5)});
  if (!run) return {"failed: " + run.error().message(), 0, {}, {}};
  if (run->exitCode != 0) {
    std::string err = run->err;
    // The JS error message, not the stack: the first line that mentions Error.
    std::stringstream lines(err);
    std::string line, first;
    while (std::getline(lines, line))
      if (line.find("Error") != std::string::npos) { first = line; break; }
    return {fmt::format("failed (exit {}): {}", run->exitCode, first.empty() ? err.substr(0, 200) : first), 0, {}, {}};
  }
  std::stringstream out(run->out);
  std::string key;
  std::optional<uint32_t> setup, result;
  while (out >> key) {
    if (key == "compile_ms") out >> res.compileMs;
    else if (key == "setup") { uint64_t v; out >> v; setup = static_cast<uint32_t>(v); }
    else if (key == "result") { uint64_t v; out >> v; result = static_cast<uint32_t>(v); }
    else if (key == "run") {
      double wall, cpu;
      out >> wall >> cpu;
      res.wall.push_back(wall / 1e3);
      res.cpu.push_back(cpu / 1e3);
    } else {
      std::string rest;
      std::getline(out, rest);
    }
  }
  if (!k.setupExport.empty() && setup != expectedSetup)
    die(fmt::format("{}: node setup returned {}, native {}", k.name, setup ? std::to_string(*setup) : "nothing",
                    expectedSetup));
  if (result != expected)
    die(fmt::format("{}: RESULT MISMATCH: native 0x{:08x}, node {}", k.name, expected,
                    result ? fmt::format("0x{:08x}", *result) : "nothing"));
  if (res.cpu.empty()) return {"failed: node_runner printed no timings", 0, {}, {}};
  return res;
}

KernelResult runKernel(Kernel& k, const Options& o, runtime::Engine& engine, const bench::CacheDir& cache,
                       const std::string& node) {
  Guest g = loadGuest(o.guestDir, "bench_" + k.name, &engine, &cache);
  KernelResult res{k.name, k.what, 0, {}, {}, {}, {}, {}, {}, g.aotCompileSeconds, g.aotLoadSeconds, g.aotCached, {}};

  if (!k.selftestExport.empty()) {
    if (k.nativeSelftest() != 1) die(k.name + ": native self-test failed");
    if (g.call(k.selftestExport, {}) != 1) die(k.name + ": wasm self-test failed on the interpreter");
    if (g.callAot(k.selftestExport, {}) != 1) die(k.name + ": wasm self-test failed on the AOT tier");
  }
  uint32_t setupResult = 0;
  if (!k.setupExport.empty()) {
    setupResult = k.nativeSetup(opaque(k.setupArg));
    uint32_t w = g.call(k.setupExport, {Value::i32(k.setupArg)});
    uint32_t a = g.callAot(k.setupExport, {Value::i32(k.setupArg)});
    if (setupResult != w || setupResult != a)
      die(fmt::format("{}: setup differs: native {} interp {} aot {}", k.name, setupResult, w, a));
    if (k.name == "json") res.what = fmt::format("{} records, {} KiB", k.setupArg, setupResult / 1024);
  }

  // Warm-up run of each, which also fixes the expected result.
  uint32_t expected = k.nativeRun(opaque(k.runArg));
  if (expected == 0xFFFFFFFFu) die(k.name + ": the kernel reported an error");
  uint32_t got = g.callAot(k.runExport, {Value::i32(k.runArg)});
  if (got != expected) die(fmt::format("{}: RESULT MISMATCH: native 0x{:08x}, aot 0x{:08x}", k.name, expected, got));
  if (o.interp) {
    got = g.call(k.runExport, {Value::i32(k.runArg)});
    if (got != expected)
      die(fmt::format("{}: RESULT MISMATCH: native 0x{:08x}, interpreter 0x{:08x}", k.name, expected, got));
  }
  res.checksum = expected;

  for (int r = 0; r < o.reps; ++r) {
    for (int i = 0; i < o.nativePerRound; ++i) {
      Timer t;
      uint32_t v = k.nativeRun(opaque(k.runArg));
      auto [cpu, wall] = t.stop();
      res.native.push_back(cpu);
      res.nativeWall.push_back(wall);
      if (v != expected) die(fmt::format("{}: native result changed between runs", k.name));

      Timer ta;
      v = g.callAot(k.runExport, {Value::i32(k.runArg)});
      std::tie(cpu, wall) = ta.stop();
      res.aot.push_back(cpu);
      res.aotWall.push_back(wall);
      if (v != expected)
        die(fmt::format("{}: RESULT MISMATCH in round {}: native 0x{:08x}, aot 0x{:08x}", k.name, r, expected, v));
    }
    if (!o.interp) continue;
    Timer t;
    uint32_t v = g.call(k.runExport, {Value::i32(k.runArg)});
    auto [cpu, wall] = t.stop();
    res.interp.push_back(cpu);
    res.interpWall.push_back(wall);
    if (v != expected)
      die(fmt::format("{}: RESULT MISMATCH in round {}: native 0x{:08x}, interpreter 0x{:08x}", k.name, r,
                      expected, v));
  }

  if (!o.node) res.node.status = "skipped (--no-node)";
  else if (node.empty()) res.node.status = "not installed";
  else res.node = runNode(node, k, g.path, o.reps * o.nativePerRound, setupResult, expected);
  return res;
}

// Median over `rounds` of the time to run `body` once.
template <typename F>
std::vector<double> sample(int rounds, F&& body) {
  std::vector<double> out;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = Clock::now();
    body();
    out.push_back(secondsSince(t0));
  }
  return out;
}

double spawnTrue() {
  const char* path = "/bin/true";
  char* argv[] = {const_cast<char*>("true"), nullptr};
  auto t0 = Clock::now();
  pid_t pid;
  if (posix_spawn(&pid, path, nullptr, nullptr, argv, environ) != 0) die("posix_spawn /bin/true failed");
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die("/bin/true did not exit cleanly");
  return secondsSince(t0);
}

std::string nodeVersion(const std::string& node) {
  if (node.empty()) return "not installed";
  auto v = runProcess({node, "--version"}, {.timeout = std::chrono::seconds(30)});
  if (!v || v->exitCode != 0) return "unusable";
  std::string s = v->out;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parseArgs(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  bench::CacheDir cache("pelato-bench");
  auto engine = runtime::Engine::create({.tier = runtime::Tier::Aot, .cacheDir = cache.path});
  if (!engine) die("the AOT tier is unavailable: " + engine.error().message());
  std::string node = o.node ? findExecutable(o.nodeBin) : "";

  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline += (i ? " " : "") + std::string(argv[i]);
  std::printf("# pelato engine benchmark: native vs AOT tier vs interpreter tier vs node, same C source\n");
  std::printf("# reproduce: bench/engine/run.sh build/release   (or: %s)\n", cmdline.c_str());
  std::printf("# wasm: clang-19 --target=wasm32-wasi -O2 -mexec-model=reactor; native: %s -O2, in this binary\n",
#ifdef __clang__
              "clang " __clang_version__
#else
              "gcc " __VERSION__
#endif
  );
  std::printf("# aot: wasm2c + cc -O2 (runtime::Engine, Tier::Aot), cache %s%s; node: %s (same .wasm, subprocess)\n",
              cache.path.c_str(), cache.temporary ? " (temporary, fresh)" : " ($PELATO_CACHE_DIR)",
              o.node ? nodeVersion(node).c_str() : "skipped");
  std::printf("# %d rounds x (%d native + %d aot%s) per kernel after a verified warm-up; node: %d timed runs after 3\n"
              "# warm-up runs; medians of thread CPU time (node: process CPU time)\n\n",
              o.reps, o.nativePerRound, o.nativePerRound, o.interp ? " + 1 interpreted run" : "",
              o.reps * o.nativePerRound);

  auto t0 = Clock::now();
  std::vector<KernelResult> results;
  for (auto& k : kernels(o.scale)) {
    if (!o.only.empty() && o.only != k.name) continue;
    std::fprintf(stderr, "  running %s...\n", k.name.c_str());
    results.push_back(runKernel(k, o, **engine, cache, node));
  }
  if (results.empty()) die("no kernel named '" + o.only + "' (fib, sha256, json, matmul)");

  const std::string rule(136, '-');
  fmt::print("{:<8} | {:<22} | {:>9} | {:>9} | {:>9} | {:>13} || {:>7} | {:>7} | {:>7} || {:>9} | {}\n", "kernel",
             "input", "native", "aot", "interp", "node", "AOT", "INTERP", "NODE", "aot/node", "checksum");
  fmt::print("{:<8} | {:<22} | {:>9} | {:>9} | {:>9} | {:>13} || {:>29} || {:>9} |\n", "", "", "", "", "", "",
             "ratio to native", "");
  std::printf("%s\n", rule.c_str());
  std::vector<double> aotR, interpR, nodeR, aotW, interpW, nodeW;
  std::vector<std::string> aotSlowerThanNode;
  bool allNode = true;
  for (const auto& r : results) {
    double n = median(r.native), a = median(r.aot), i = median(r.interp), nd = median(r.node.cpu);
    aotR.push_back(a / n);
    aotW.push_back(median(r.aotWall) / median(r.nativeWall));
    std::string interpCell = "-", interpRatio = "-", nodeCell = "-", nodeRatio = "-", aotVsNode = "-";
    if (!r.interp.empty()) {
      interpR.push_back(i / n);
      interpW.push_back(median(r.interpWall) / median(r.nativeWall));
      interpCell = human(i);
      interpRatio = ratioText(i / n);
    }
    if (r.node.status.empty()) {
      nodeR.push_back(nd / n);
      nodeW.push_back(median(r.node.wall) / median(r.nativeWall));
      nodeCell = human(nd);
      nodeRatio = ratioText(nd / n);
      aotVsNode = ratioText(a / nd);
      if (a >= nd) aotSlowerThanNode.push_back(r.name);
    } else {
      allNode = false;
      nodeCell = r.node.status == "not installed" ? r.node.status : r.node.status.substr(0, r.node.status.find(' '));
    }
    fmt::print("{:<8} | {:<22} | {:>9} | {:>9} | {:>9} | {:>13} || {:>7} | {:>7} | {:>7} || {:>9} | 0x{:08x}\n", r.name,
               r.what, human(n), human(a), interpCell, nodeCell, ratioText(a / n), interpRatio, nodeRatio, aotVsNode,
               r.checksum);
  }
  std::printf("%s\n", rule.c_str());
  auto geoText = [](const std::vector<double>& v) { return v.empty() ? std::string("-") : ratioText(geomean(v)); };
  std::printf(">>> geometric mean of %zu kernels, time / native time: AOT %s | interpreter %s | node %s <<<\n",
              results.size(), geoText(aotR).c_str(), geoText(interpR).c_str(), geoText(nodeR).c_str());
  std::printf("    same from wall-clock medians:                       AOT %s | interpreter %s | node %s\n",
              geoText(aotW).c_str(), geoText(interpW).c_str(), geoText(nodeW).c_str());
  std::set<std::string> nodeStatuses;
  for (const auto& r : results)
    if (!r.node.status.empty() && nodeStatuses.insert(r.node.status).second)
      std::printf("    node: %s\n", r.node.status.c_str());
  double aotGeo = geomean(aotR);
  std::printf("    target AOT geomean <= 1.3x native: %s (%.2fx)\n", aotGeo <= 1.3 ? "met" : "NOT MET", aotGeo);
  if (allNode) {
    std::printf("    target AOT faster than node on every kernel: %s%s\n", aotSlowerThanNode.empty() ? "met" : "NOT MET",
                aotSlowerThanNode.empty() ? "" : fmt::format(" (slower on {})", fmt::join(aotSlowerThanNode, ", ")).c_str());
  } else {
    std::printf("    target AOT faster than node on every kernel: not measured (no node figures)\n");
  }
  std::printf("    ratios = median tier time / median native time, in thread CPU time (CLOCK_THREAD_CPUTIME_ID) for\n"
              "    native/aot/interp (one process) and process CPU time for node; aot/node < 1 means AOT is faster.\n");
  std::printf("    all %zu kernels: results identical to native on every run of every tier\n\n", results.size());

  fmt::print("{:<8} | {:>24} | {:>26} | {:>24}\n", "compile", "aot: wasm2c + cc -O2", "aot: load + instantiate",
             "node: compile+instantiate");
  std::printf("%s\n", std::string(94, '-').c_str());
  for (const auto& r : results)
    fmt::print("{:<8} | {:>24} | {:>26} | {:>24}\n", r.name,
               r.aotCached ? human(r.aotCompileSeconds) + " (cached)" : human(r.aotCompileSeconds),
               human(r.aotLoadSeconds), r.node.status.empty() ? fmt::format("{:.2f} ms", r.node.compileMs) : "-");
  std::printf("# wall clock, once per kernel, outside every kernel timing. aot compile: Engine::compile into a %s\n"
              "# cache (two subprocesses); load + instantiate: the first Engine::instantiate (verify + dlopen the\n"
              "# artifact) + _initialize; node: WebAssembly.compile + instantiate (Liftoff; TurboFan tiers up later).\n\n",
              cache.temporary ? "fresh" : "persistent");

  // ---- instantiation ----
  Guest fib = loadGuest(o.guestDir, "bench_fib", engine->get(), &cache);
  const int instReps = 200;
  // The cost of a warm call: bench_nop(i32) -> i32, timed in batches of 1000.
  std::vector<double> callBatches = sample(30, [&] {
    for (int i = 0; i < 1000; ++i) fib.call("bench_nop", {Value::i32(static_cast<uint32_t>(i))});
  });
  double call = median(callBatches) / 1000;
  double aotCall = median(sample(30, [&] {
                     for (int i = 0; i < 1000; ++i) fib.callAot("bench_nop", {Value::i32(static_cast<uint32_t>(i))});
                   })) /
                   1000;
  std::vector<double> spawn;
  for (int i = 0; i < 50; ++i) spawn.push_back(spawnTrue());
  double spawnMed = median(spawn);

  fmt::print("{:<30} {:>10} | {:>12} | {:>22} | {:>11} | {}\n", "instantiate (interp tier)", "median", "empty calls",
             "vs spawn of /bin/true", "aot tier", "module");
  std::printf("%s\n", rule.c_str());
  for (const std::string name : {"fib", "sha256", "json", "matmul"}) {
    std::string path = o.guestDir + "/bench_" + name + ".wasm";
    auto bytes = readFile(path);
    size_t size = bytes.size();
    std::vector<double> load = sample(instReps / 4, [&] {
      auto m = runtime::Module::load(bytes);
      if (!m) die(m.error().message());
    });
    auto module = runtime::Module::load(bytes);
    if (!module) die(module.error().message());
    std::unique_ptr<runtime::WasiContext> wasi;
    runtime::HostFunctions host = hostFor(*module, wasi);
    uint64_t pages = module->memories().empty() ? 0 : module->memories()[0].initialPages;
    // instantiate + _initialize; tearing the instance down is not timed.
    std::vector<double> inst, aotInst;
    bool reactor = module->findExport("_initialize") != nullptr;
    for (int r = 0; r < instReps; ++r) {
      auto start = Clock::now();
      auto i = instantiate(*module, host, path);
      if (reactor && !i->call("_initialize", {})) die("_initialize trapped");
      inst.push_back(secondsSince(start));
    }
    instantiateAot(**engine, *module, host, path);  // loads the artifact (compiled above)
    for (int r = 0; r < instReps; ++r) {
      auto start = Clock::now();
      auto i = instantiateAot(**engine, *module, host, path);
      if (reactor && !i->call("_initialize", {})) die("_initialize trapped");
      aotInst.push_back(secondsSince(start));
    }
    double m = median(inst);
    fmt::print("{:<30} {:>10} | {:>12.0f} | {:>14.1f}x faster | {:>11} | {} B, {} pages ({} KiB) of memory; load+validate {}\n",
               fmt::format("bench_{}.wasm", name), human(m), m / call, spawnMed / m, human(median(aotInst)), size, pages,
               pages * 64, human(median(load)));
  }
  fmt::print("{:<30} {:>10}   (bench_nop(i32) on a warm instance, median of 30 batches of 1000; aot tier: {})\n",
             "empty export call", human(call), human(aotCall));
  fmt::print("{:<30} {:>10}   (posix_spawn + waitpid, median of {})\n", "native: spawn /bin/true", human(spawnMed),
             spawn.size());
  fmt::print("# instantiate = instantiate + _initialize on a loaded, validated module (teardown untimed), median of {};\n"
             "# interp: dominated by zeroing the initial linear memory, hence the spread with memory size. aot: the\n"
             "# memory comes from a pool of 4 GiB reservations (mprotect only), see bench_aot for more.\n",
             instReps);
  std::printf("\n# total wall time %.1f s\n", secondsSince(t0));
  return 0;
}
