// bench_engine: the interpreter tier against native code, in one process.
//
// Every kernel in bench/engine/kernels/*.c is compiled twice from the same source: to a wasm
// reactor (clang-19 -O2, see bench/CMakeLists.txt) and natively into this executable (the
// host C compiler, -O2). Both are called with the same inputs, every result is compared (a
// mismatch aborts), and the ratio of the median times is printed. Times are the thread's CPU
// time, so time spent descheduled on a shared machine does not count; wall-clock ratios are
// printed alongside. Rounds interleave native and interpreted runs so that slower drifts
// (frequency, cache-hungry neighbours) affect both sides.
//
// Instantiation is reported in absolute microseconds and against two baselines: one call of
// an empty export (what a warm instance costs per message) and posix_spawn+wait of /bin/true
// (what a fresh native process costs, the thing a fresh instance replaces).
//
// Usage: bench_engine [--reps N] [--native-per-round K] [--scale F] [--only KERNEL]
//                     [--guest-dir DIR]
#include <spawn.h>
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
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

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

namespace {

using namespace pelato;
using Clock = std::chrono::steady_clock;
using runtime::Value;

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

double minOf(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
double maxOf(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

// "1.23 ms", "456 µs", "2.10 s", "85 ns"
std::string human(double seconds) {
  if (seconds >= 1) return fmt::format("{:.2f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.2f} ms", seconds * 1e3);
  if (seconds >= 1e-6) return fmt::format("{:.1f} µs", seconds * 1e6);
  return fmt::format("{:.0f} ns", seconds * 1e9);
}

struct Options {
  int reps = 5;             // measured rounds; each runs the interpreter once
  int nativePerRound = 5;   // native runs per round (they are cheap: more samples, same wall time)
  double scale = 1.0;       // multiplies the input sizes (0.1 for a quick smoke run)
  std::string only;         // run just this kernel
  std::string guestDir = PELATO_GUEST_DIR;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(fmt::format("{} needs a value", a));
      return argv[++i];
    };
    if (a == "--reps") o.reps = std::max(1, std::atoi(value().c_str()));
    else if (a == "--native-per-round") o.nativePerRound = std::max(1, std::atoi(value().c_str()));
    else if (a == "--scale") o.scale = std::atof(value().c_str());
    else if (a == "--only") o.only = value();
    else if (a == "--guest-dir") o.guestDir = value();
    else if (a == "-h" || a == "--help") {
      std::printf("usage: bench_engine [--reps N] [--native-per-round K] [--scale F] [--only KERNEL] [--guest-dir DIR]\n");
      std::exit(0);
    } else {
      die(fmt::format("unknown argument '{}' (try --help)", a));
    }
  }
  if (!(o.scale > 0)) die("--scale must be positive");
  return o;
}

// A loaded, instantiated guest with its reactor initialised.
struct Guest {
  std::string path;
  size_t bytes = 0;
  runtime::Module module;
  std::unique_ptr<runtime::WasiContext> wasi;  // outlives the instance
  runtime::HostFunctions host;
  std::unique_ptr<runtime::Instance> instance;

  uint32_t call(const std::string& name, std::vector<Value> args) {
    auto r = instance->call(name, args);
    if (!r) die(fmt::format("{}: calling {}: {}", path, name, r.error().describe()));
    if (r->size() != 1 || (*r)[0].type != runtime::ValType::I32)
      die(fmt::format("{}: {} did not return one i32", path, name));
    return (*r)[0].asI32();
  }
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

Guest loadGuest(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name + ".wasm";
  auto bytes = readFile(path);
  size_t size = bytes.size();
  auto module = runtime::Module::load(std::move(bytes));
  if (!module) die(fmt::format("loading {}: {}", path, module.error().message()));
  Guest g{path, size, std::move(*module), nullptr, {}, nullptr};
  g.host = hostFor(g.module, g.wasi);
  g.instance = instantiate(g.module, g.host, path);
  if (g.module.findExport("_initialize")) {
    auto r = g.instance->call("_initialize", {});
    if (!r) die(fmt::format("{}: _initialize: {}", path, r.error().describe()));
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

struct KernelResult {
  std::string name, what;
  uint32_t checksum = 0;
  std::vector<double> native, interp;          // thread CPU seconds
  std::vector<double> nativeWall, interpWall;  // wall seconds
};

// One volatile hop so the native call cannot be hoisted or folded by the compiler.
uint32_t opaque(uint32_t v) {
  volatile uint32_t x = v;
  return x;
}

KernelResult runKernel(Kernel& k, const Options& o) {
  Guest g = loadGuest(o.guestDir, "bench_" + k.name);
  KernelResult res{k.name, k.what, 0, {}, {}, {}, {}};

  if (!k.selftestExport.empty()) {
    if (k.nativeSelftest() != 1) die(k.name + ": native self-test failed");
    if (g.call(k.selftestExport, {}) != 1) die(k.name + ": wasm self-test failed");
  }
  if (!k.setupExport.empty()) {
    uint32_t n = k.nativeSetup(opaque(k.setupArg));
    uint32_t w = g.call(k.setupExport, {Value::i32(k.setupArg)});
    if (n != w) die(fmt::format("{}: setup differs: native {} wasm {}", k.name, n, w));
    if (k.name == "json") res.what = fmt::format("{} records, {} KiB", k.setupArg, n / 1024);
  }

  // Warm-up run of each, which also fixes the expected result.
  uint32_t expected = k.nativeRun(opaque(k.runArg));
  uint32_t got = g.call(k.runExport, {Value::i32(k.runArg)});
  if (got != expected)
    die(fmt::format("{}: RESULT MISMATCH: native 0x{:08x}, interpreter 0x{:08x}", k.name, expected, got));
  if (expected == 0xFFFFFFFFu) die(k.name + ": the kernel reported an error");
  res.checksum = expected;

  for (int r = 0; r < o.reps; ++r) {
    for (int i = 0; i < o.nativePerRound; ++i) {
      Timer t;
      uint32_t v = k.nativeRun(opaque(k.runArg));
      auto [cpu, wall] = t.stop();
      res.native.push_back(cpu);
      res.nativeWall.push_back(wall);
      if (v != expected) die(fmt::format("{}: native result changed between runs", k.name));
    }
    Timer t;
    uint32_t v = g.call(k.runExport, {Value::i32(k.runArg)});
    auto [cpu, wall] = t.stop();
    res.interp.push_back(cpu);
    res.interpWall.push_back(wall);
    if (v != expected)
      die(fmt::format("{}: RESULT MISMATCH in round {}: native 0x{:08x}, interpreter 0x{:08x}", k.name, r,
                      expected, v));
  }
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

}  // namespace

int main(int argc, char** argv) {
  Options o = parseArgs(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline += (i ? " " : "") + std::string(argv[i]);
  std::printf("# pelato engine benchmark: interpreter tier vs native, same C source, same process\n");
  std::printf("# reproduce: bench/engine/run.sh build/release   (or: %s)\n", cmdline.c_str());
  std::printf("# wasm: clang-19 --target=wasm32-wasi -O2 -mexec-model=reactor; native: %s -O2, in this binary\n",
#ifdef __clang__
              "clang " __clang_version__
#else
              "gcc " __VERSION__
#endif
  );
  std::printf("# %d rounds x (%d native + 1 interpreted run) per kernel after a verified warm-up; medians of thread CPU time\n\n",
              o.reps, o.nativePerRound);

  auto t0 = Clock::now();
  std::vector<KernelResult> results;
  for (auto& k : kernels(o.scale)) {
    if (!o.only.empty() && o.only != k.name) continue;
    std::fprintf(stderr, "  running %s...\n", k.name.c_str());
    results.push_back(runKernel(k, o));
  }
  if (results.empty()) die("no kernel named '" + o.only + "' (fib, sha256, json, matmul)");

  fmt::print("{:<8} | {:<24} | {:>9} | {:>9} | {:>6} | {:>20} | {:>9} | {}\n", "kernel", "input", "native",
             "interp", "RATIO", "interp min..max", "wall ratio", "checksum");
  std::printf("%s\n", std::string(110, '-').c_str());
  std::vector<double> ratios, wallRatios;
  for (const auto& r : results) {
    double n = median(r.native), i = median(r.interp);
    double ratio = i / n;
    ratios.push_back(ratio);
    wallRatios.push_back(median(r.interpWall) / median(r.nativeWall));
    fmt::print("{:<8} | {:<24} | {:>9} | {:>9} | {:>5.0f}x | {:>20} | {:>9.0f}x | 0x{:08x}\n", r.name, r.what,
               human(n), human(i), ratio, human(minOf(r.interp)) + ".." + human(maxOf(r.interp)),
               wallRatios.back(), r.checksum);
  }
  auto geomean = [](const std::vector<double>& v) {
    double logSum = 0;
    for (double x : v) logSum += std::log(x);
    return std::exp(logSum / v.size());
  };
  double geo = geomean(ratios);
  std::printf("%s\n", std::string(110, '-').c_str());
  std::printf(">>> interpreter / native (geometric mean of %zu kernels): %.0fx slower <<<   (wall clock: %.0fx)\n",
              ratios.size(), geo, geomean(wallRatios));
  std::printf("    RATIO = median interp / median native, both in thread CPU time (CLOCK_THREAD_CPUTIME_ID), so\n"
              "    time spent descheduled by other processes is excluded; wall ratio: the same from wall-clock\n"
              "    medians, which a busy machine inflates.\n");
  std::printf("    all %zu kernels: wasm results identical to native on every run\n\n", ratios.size());

  // ---- instantiation ----
  Guest fib = loadGuest(o.guestDir, "bench_fib");
  const int instReps = 200;
  // The cost of a warm call: bench_nop(i32) -> i32, timed in batches of 1000.
  std::vector<double> callBatches = sample(30, [&] {
    for (int i = 0; i < 1000; ++i) fib.call("bench_nop", {Value::i32(static_cast<uint32_t>(i))});
  });
  double call = median(callBatches) / 1000;
  std::vector<double> spawn;
  for (int i = 0; i < 50; ++i) spawn.push_back(spawnTrue());
  double spawnMed = median(spawn);

  fmt::print("{:<30} {:>10} | {:>12} | {:>22} | {}\n", "instantiate (interp tier)", "median", "empty calls",
             "vs spawn of /bin/true", "module");
  std::printf("%s\n", std::string(110, '-').c_str());
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
    // instantiateInterp + _initialize; tearing the instance down is not timed.
    std::vector<double> inst;
    bool reactor = module->findExport("_initialize") != nullptr;
    for (int r = 0; r < instReps; ++r) {
      auto start = Clock::now();
      auto i = instantiate(*module, host, path);
      if (reactor && !i->call("_initialize", {})) die("_initialize trapped");
      inst.push_back(secondsSince(start));
    }
    double m = median(inst);
    fmt::print("{:<30} {:>10} | {:>12.0f} | {:>14.1f}x faster | {} B, {} pages ({} KiB) of memory; load+validate {}\n",
               fmt::format("bench_{}.wasm", name), human(m), m / call, spawnMed / m, size, pages, pages * 64,
               human(median(load)));
  }
  fmt::print("{:<30} {:>10}   (bench_nop(i32) on a warm instance, median of 30 batches of 1000)\n",
             "empty export call", human(call));
  fmt::print("{:<30} {:>10}   (posix_spawn + waitpid, median of {})\n", "native: spawn /bin/true", human(spawnMed),
             spawn.size());
  fmt::print("# instantiate = instantiateInterp + _initialize on a loaded, validated module (teardown untimed);\n"
             "# it is dominated by zeroing the initial linear memory, hence the spread with memory size.\n");
  std::printf("\n# total wall time %.1f s\n", secondsSince(t0));
  return 0;
}
