// bench_aot: what AOT instances cost, as opposed to what AOT code runs like (bench_engine).
//
//   1. instantiate + destroy latency of a 1-page module with a warm memory pool: median over
//      10,000 cycles on the AOT tier, against the interpreter tier in the same process;
//   2. 20,000 AOT instances of that module alive at once: reserved address space (the pool's
//      4 GiB reservations), RSS and page-table growth per instance, and the idle overhead per
//      instance once its resident linear memory is subtracted, against interpreter instances;
//   3. 8 threads x 8 instances calling concurrently: total calls/s against 1 thread calling the
//      same 8 instances, every result checked.
//
// The guest is bench/aot/tiny.wat (bench_aot_tiny.wasm). AOT artifacts go to $PELATO_CACHE_DIR
// if set, else to a temporary directory removed at exit.
//
// Usage: bench_aot [--cycles N] [--live N] [--interp-live N] [--threads T] [--per-thread K]
//                  [--seconds S] [--guest-dir DIR]
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "support/cache_dir.h"
#include "runtime/aot_rt.h"
#include "runtime/engine.h"
#include "runtime/instance.h"
#include "runtime/limits.h"
#include "runtime/module.h"
#include "runtime/value.h"

#ifndef PELATO_GUEST_DIR
#error "PELATO_GUEST_DIR must be defined (bench/CMakeLists.txt does)"
#endif

namespace {

using namespace pelato;
using Clock = std::chrono::steady_clock;
using runtime::Value;
namespace fs = std::filesystem;

// What one reservation of the AOT memory pool spans (aot_rt.cc): 4 GiB plus the guard region.
constexpr uint64_t kReservationBytes = (4ull << 30) + runtime::aot::kGuardBytes;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "bench_aot: %s\n", message.c_str());
  std::fflush(stdout);
  std::abort();
}

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double idx = p * (v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(idx)), hi = static_cast<size_t>(std::ceil(idx));
  return v[lo] + (v[hi] - v[lo]) * (idx - lo);
}
double median(const std::vector<double>& v) { return percentile(v, 0.5); }

std::string human(double seconds) {
  if (seconds >= 1) return fmt::format("{:.2f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.2f} ms", seconds * 1e3);
  if (seconds >= 1e-6) return fmt::format("{:.1f} µs", seconds * 1e6);
  return fmt::format("{:.0f} ns", seconds * 1e9);
}

std::string bytesText(double b) {
  if (std::abs(b) >= double(1ull << 40)) return fmt::format("{:.1f} TiB", b / double(1ull << 40));
  if (std::abs(b) >= double(1ull << 30)) return fmt::format("{:.2f} GiB", b / double(1ull << 30));
  if (std::abs(b) >= double(1ull << 20)) return fmt::format("{:.1f} MiB", b / double(1ull << 20));
  if (std::abs(b) >= 1024) return fmt::format("{:.1f} KiB", b / 1024);
  return fmt::format("{:.0f} B", b);
}

struct Options {
  int cycles = 10000;      // instantiate+destroy cycles per tier
  int live = 20000;        // AOT instances held at once
  int interpLive = 2000;   // interpreter instances held at once (the baseline; 64 KiB of RSS each)
  int threads = 8;
  int perThread = 8;       // instances per thread
  double seconds = 3;      // per concurrency phase
  uint32_t workRounds = 200;  // loop rounds per work() call
  std::string guestDir = PELATO_GUEST_DIR;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  CLI::App app{"pelato AOT instance benchmark: instantiate latency, live-instance density, concurrent calls.\n"
               "AOT artifacts go to $PELATO_CACHE_DIR if set, else to a temporary directory removed at exit."};
  app.add_option("--cycles", o.cycles, "instantiate+destroy cycles per tier")->check(CLI::PositiveNumber);
  app.add_option("--live", o.live, "AOT instances held at once")->check(CLI::PositiveNumber);
  app.add_option("--interp-live", o.interpLive, "interpreter instances held at once")->check(CLI::PositiveNumber);
  app.add_option("--threads", o.threads, "threads in the concurrency phase")->check(CLI::PositiveNumber);
  app.add_option("--per-thread", o.perThread, "instances per thread")->check(CLI::PositiveNumber);
  app.add_option("--seconds", o.seconds, "length of each concurrency phase")->check(CLI::Range(0.1, 3600.0));
  app.add_option("--guest-dir", o.guestDir, "where the guest modules are");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  return o;
}


// /proc/self/status fields in bytes (VmRSS, RssAnon, VmPTE, VmSize, ...).
std::map<std::string, double> procStatus() {
  std::map<std::string, double> out;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos || line.find(" kB") == std::string::npos) continue;
    out[line.substr(0, colon)] = std::atof(line.c_str() + colon + 1) * 1024;
  }
  return out;
}

size_t mapCount() {
  std::ifstream in("/proc/self/maps");
  return std::count(std::istreambuf_iterator<char>(in), {}, '\n');
}

// Bytes of [p, p+len) that are resident (mincore), counting only the part of each resident page
// that lies inside the range (an interpreter memory is a heap block, not page-aligned).
size_t residentBytes(const uint8_t* p, size_t len) {
  if (!len) return 0;
  static const size_t page = sysconf(_SC_PAGESIZE);
  auto begin = reinterpret_cast<uintptr_t>(p), end = begin + len;
  auto lo = begin & ~(page - 1);
  auto hi = (end + page - 1) & ~(page - 1);
  std::vector<unsigned char> vec((hi - lo) / page);
  if (mincore(reinterpret_cast<void*>(lo), hi - lo, vec.data()) != 0) return 0;
  size_t bytes = 0;
  for (size_t i = 0; i < vec.size(); ++i) {
    if (!(vec[i] & 1)) continue;
    uintptr_t a = std::max(begin, lo + i * page), b = std::min(end, lo + (i + 1) * page);
    bytes += b - a;
  }
  return bytes;
}

size_t residentLinearMemory(runtime::Instance& instance) {
  auto mem = instance.memory();
  auto all = mem.range(0, mem.size());
  return all ? residentBytes(all->data(), all->size()) : 0;
}

// work(seed, n) of tiny.wat, natively.
uint32_t workRef(uint32_t x, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) x = (x ^ (x >> 13)) * 0x9E3779B1u + i;
  return x;
}

uint32_t call1(runtime::Instance& instance, const char* name, std::vector<Value> args) {
  auto r = instance.call(name, args);
  if (!r) die(fmt::format("calling {}: {}", name, r.error().describe()));
  if (r->size() != 1) die(fmt::format("{} did not return one value", name));
  return (*r)[0].asI32();
}

double processCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

using Factory = std::function<Result<std::unique_ptr<runtime::Instance>>()>;

// ---- 1. instantiate + destroy latency ----
struct Latency {
  std::vector<double> total, create, destroy;
};

Latency measureLatency(const Factory& make, int cycles) {
  for (int i = 0; i < std::min(cycles, 500); ++i) {  // warm-up: fills the pool, the allocator, the caches
    auto inst = make();
    if (!inst) die("instantiate: " + inst.error().message());
  }
  Latency l;
  l.total.reserve(cycles);
  for (int i = 0; i < cycles; ++i) {
    auto t0 = Clock::now();
    auto inst = make();
    auto t1 = Clock::now();
    if (!inst) die("instantiate: " + inst.error().message());
    inst->reset();
    auto t2 = Clock::now();
    l.create.push_back(std::chrono::duration<double>(t1 - t0).count());
    l.destroy.push_back(std::chrono::duration<double>(t2 - t1).count());
    l.total.push_back(std::chrono::duration<double>(t2 - t0).count());
  }
  return l;
}

// ---- 2. many live instances ----
struct LiveResult {
  int requested = 0, created = 0;
  std::string failure;  // why creation stopped early
  double seconds = 0, destroySeconds = 0;
  double rss = 0, anon = 0, pte = 0, vmsize = 0;  // growth, bytes
  double linearResident = 0;                      // resident linear memory, bytes, all instances
  double linearCommitted = 0;                     // the instances' linear memory sizes, bytes
  size_t maps = 0;                                // growth in /proc/self/maps entries
  runtime::aot::PoolStats poolBefore{}, poolDuring{}, poolAfter{};
};

LiveResult holdLive(const Factory& make, int n) {
  LiveResult r;
  r.requested = n;
  std::vector<std::unique_ptr<runtime::Instance>> live;
  live.reserve(n);  // the vector itself is counted in the growth: 8 bytes per instance
  r.poolBefore = runtime::aot::poolStats();
  auto before = procStatus();
  size_t mapsBefore = mapCount();
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    auto inst = make();
    if (!inst) {
      r.failure = inst.error().message();
      break;
    }
    // Run it once, so it is an instance that has done something: this touches the first page
    // of its linear memory (the counter and the ring).
    uint32_t seed = static_cast<uint32_t>(i);
    if (call1(**inst, "work", {Value::i32(seed), Value::i32(8)}) != workRef(seed, 8)) die("live instance: wrong result");
    live.push_back(std::move(*inst));
  }
  r.seconds = secondsSince(t0);
  r.created = static_cast<int>(live.size());
  auto after = procStatus();
  r.maps = mapCount() - mapsBefore;
  r.poolDuring = runtime::aot::poolStats();
  r.rss = after["VmRSS"] - before["VmRSS"];
  r.anon = after["RssAnon"] - before["RssAnon"];
  r.pte = after["VmPTE"] - before["VmPTE"];
  r.vmsize = after["VmSize"] - before["VmSize"];
  for (auto& inst : live) {
    r.linearResident += residentLinearMemory(*inst);
    r.linearCommitted += inst->memory().size();
  }
  // All still alive and separate: each ran exactly once.
  for (auto& inst : live)
    if (call1(*inst, "calls", {}) != 1) die("live instance: call counter is not 1 (instances share memory?)");
  t0 = Clock::now();
  live.clear();
  r.destroySeconds = secondsSince(t0);
  r.poolAfter = runtime::aot::poolStats();
  return r;
}

// ---- 3. concurrent calls ----
struct ConcurrencyResult {
  int threads = 0;
  uint64_t calls = 0;
  double seconds = 0, cpuSeconds = 0;
  double callsPerSecond() const { return calls / seconds; }
};

// `threads` threads, each calling its own `perThread` instances round-robin until `seconds` pass.
// Each instance gets a seed; a call's expected result is looked up in a table computed natively.
ConcurrencyResult runConcurrent(std::vector<std::unique_ptr<runtime::Instance>>& instances, int threads, int perThread,
                                double seconds, uint32_t rounds) {
  constexpr int kSeedsPerInstance = 16;
  std::vector<uint32_t> expected(instances.size() * kSeedsPerInstance);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = workRef(static_cast<uint32_t>(i * 7919u), rounds);
  std::vector<uint32_t> before(instances.size());
  for (size_t i = 0; i < instances.size(); ++i) before[i] = call1(*instances[i], "calls", {});

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> total{0};
  std::vector<std::vector<uint64_t>> perInstanceCalls(threads, std::vector<uint64_t>(perThread));
  std::barrier start(threads + 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        for (int k = 0; k < perThread; ++k) {
          size_t idx = size_t(t) * perThread + k;
          uint64_t c = perInstanceCalls[t][k]++;
          size_t e = idx * kSeedsPerInstance + c % kSeedsPerInstance;
          uint32_t got = call1(*instances[idx], "work", {Value::i32(static_cast<uint32_t>(e * 7919u)), Value::i32(rounds)});
          if (got != expected[e])
            die(fmt::format("thread {} instance {}: work returned 0x{:08x}, expected 0x{:08x}", t, idx, got, expected[e]));
          ++n;
        }
      }
      total += n;
    });
  }
  double cpu0 = processCpuSeconds();
  start.arrive_and_wait();
  auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  ConcurrencyResult r{threads, total.load(), secondsSince(t0), processCpuSeconds() - cpu0};
  // Every call landed on its own instance's memory, exactly once.
  for (int t = 0; t < threads; ++t)
    for (int k = 0; k < perThread; ++k) {
      size_t idx = size_t(t) * perThread + k;
      uint32_t calls = call1(*instances[idx], "calls", {});
      if (calls - before[idx] != static_cast<uint32_t>(perInstanceCalls[t][k]))
        die(fmt::format("instance {}: counter advanced by {}, but {} calls were made", idx, calls - before[idx],
                        perInstanceCalls[t][k]));
    }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parseArgs(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline += (i ? " " : "") + std::string(argv[i]);

  std::string path = o.guestDir + "/bench_aot_tiny.wasm";
  std::ifstream in(path, std::ios::binary);
  if (!in) die(fmt::format("cannot read {}: build the guests first (bench/aot/run.sh BUILD_DIR does)", path));
  auto module = runtime::Module::load(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
  if (!module) die(fmt::format("loading {}: {}", path, module.error().message()));
  runtime::HostFunctions host;
  runtime::Limits limits;

  bench::CacheDir cache("pelato-bench-aot");
  auto engine = runtime::Engine::create({.tier = runtime::Tier::Aot, .cacheDir = cache.path});
  if (!engine) die("the AOT tier is unavailable: " + engine.error().message());
  auto t0 = Clock::now();
  auto artifact = (*engine)->compile(*module);
  if (!artifact) die("compiling: " + artifact.error().message());
  double compileSeconds = secondsSince(t0);

  Factory aot = [&] { return (*engine)->instantiate(*module, host, limits); };
  Factory interp = [&] { return runtime::instantiateInterp(*module, host, limits); };
  {
    auto first = aot();  // loads the artifact once, outside every measurement
    if (!first) die("instantiating on the AOT tier: " + first.error().message());
  }

  unsigned cores = std::thread::hardware_concurrency();
  std::printf("# pelato AOT instance benchmark: %s (1 page of memory)\n", path.c_str());
  std::printf("# reproduce: bench/aot/run.sh build/release   (or: %s)\n", cmdline.c_str());
  std::printf("# %u hardware threads; AOT cache %s%s; compile (wasm2c + cc -O2): %s\n\n", cores, cache.path.c_str(),
              cache.temporary ? " (temporary)" : " ($PELATO_CACHE_DIR)", human(compileSeconds).c_str());

  // ---- 1 ----
  std::fprintf(stderr, "  instantiate latency...\n");
  Latency la = measureLatency(aot, o.cycles);
  Latency li = measureLatency(interp, o.cycles);
  const std::string rule(110, '-');
  std::printf("1. instantiate + destroy, 1-page module, warm pool: %d cycles per tier (wall clock)\n", o.cycles);
  fmt::print("{:<12} | {:>10} | {:>10} | {:>10} | {:>10} || {:>12} | {:>12}\n", "tier", "MEDIAN", "p90", "p99", "mean",
             "instantiate", "destroy");
  std::printf("%s\n", rule.c_str());
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / v.size();
  };
  for (auto [name, l] : {std::pair{"aot", &la}, std::pair{"interp", &li}})
    fmt::print("{:<12} | {:>10} | {:>10} | {:>10} | {:>10} || {:>12} | {:>12}\n", name, human(median(l->total)),
               human(percentile(l->total, 0.9)), human(percentile(l->total, 0.99)), human(mean(l->total)),
               human(median(l->create)), human(median(l->destroy)));
  std::printf("%s\n", rule.c_str());
  double aotMedian = median(la.total), interpMedian = median(li.total);
  std::printf(">>> AOT instantiate+destroy median %s = %.2fx the interpreter's (%s); target <= 20 µs: %s <<<\n\n",
              human(aotMedian).c_str(), aotMedian / interpMedian, human(interpMedian).c_str(),
              aotMedian <= 20e-6 ? "met" : "NOT MET");

  // ---- 2 ----
  std::fprintf(stderr, "  %d live AOT instances...\n", o.live);
  LiveResult lv = holdLive(aot, o.live);
  std::fprintf(stderr, "  %d live interpreter instances...\n", o.interpLive);
  LiveResult lvi = holdLive(interp, o.interpLive);
  std::printf("2. instances alive at once, each called once (work(seed, 8): touches its first page)\n");
  auto perInstance = [](const LiveResult& r, double v) { return r.created ? v / r.created : 0; };
  for (auto [name, r] : {std::pair{"aot", &lv}, std::pair{"interp", &lvi}}) {
    std::printf("%s: %d of %d instances created in %s (%s each), destroyed in %s%s%s\n", name, r->created,
                r->requested, human(r->seconds).c_str(), human(perInstance(*r, r->seconds)).c_str(),
                human(r->destroySeconds).c_str(), r->failure.empty() ? "" : "; STOPPED: ",
                r->failure.c_str());
  }
  std::printf("%s\n", rule.c_str());
  fmt::print("{:<44} | {:>14} | {:>14} | {:>14}\n", "per instance", "aot", "interp", "aot / interp");
  std::printf("%s\n", rule.c_str());
  auto row = [&](const char* what, double a, double i) {
    fmt::print("{:<44} | {:>14} | {:>14} | {:>14}\n", what, bytesText(a), bytesText(i),
               i > 0 ? fmt::format("{:.2f}x", a / i) : std::string("-"));
  };
  double aotIdle = perInstance(lv, lv.rss - lv.linearResident), interpIdle = perInstance(lvi, lvi.rss - lvi.linearResident);
  row("RSS growth (VmRSS)", perInstance(lv, lv.rss), perInstance(lvi, lvi.rss));
  row("  of which resident linear memory (mincore)", perInstance(lv, lv.linearResident),
      perInstance(lvi, lvi.linearResident));
  row("IDLE OVERHEAD = RSS growth - resident memory", aotIdle, interpIdle);
  row("page tables (VmPTE growth, not in RSS)", perInstance(lv, lv.pte), perInstance(lvi, lvi.pte));
  row("idle overhead + page tables", aotIdle + perInstance(lv, lv.pte), interpIdle + perInstance(lvi, lvi.pte));
  row("linear memory size (1 page)", perInstance(lv, lv.linearCommitted), perInstance(lvi, lvi.linearCommitted));
  row("address space (VmSize growth)", perInstance(lv, lv.vmsize), perInstance(lvi, lvi.vmsize));
  fmt::print("{:<44} | {:>14.2f} | {:>14.2f} |\n", "memory mappings (/proc/self/maps growth)",
             lv.created ? double(lv.maps) / lv.created : 0, lvi.created ? double(lvi.maps) / lvi.created : 0);
  std::printf("%s\n", rule.c_str());
  std::printf("aot pool (poolStats): reserved %zu -> %zu with %d instances alive (%s of address space reserved,\n"
              "  %s per reservation), %zu after destroying them (%zu pooled for reuse)\n",
              lv.poolBefore.reserved, lv.poolDuring.reserved, lv.created,
              bytesText(double(lv.poolDuring.reserved) * kReservationBytes).c_str(),
              bytesText(double(kReservationBytes)).c_str(), lv.poolAfter.reserved, lv.poolAfter.pooled);
  long maxMaps = 0;
  std::ifstream("/proc/sys/vm/max_map_count") >> maxMaps;
  std::printf("totals, aot: RSS +%s, page tables +%s, address space +%s, %zu more mappings\n",
              bytesText(lv.rss).c_str(), bytesText(lv.pte).c_str(), bytesText(lv.vmsize).c_str(), lv.maps);
  if (lv.created && lv.maps && maxMaps)
    std::printf("ceilings for live AOT instances per process: ~%.0f by vm.max_map_count = %ld (%.2f mappings each),\n"
                "  ~%.0f by the 128 TiB x86-64 user address space (one reservation each)\n",
                maxMaps / (double(lv.maps) / lv.created), maxMaps, double(lv.maps) / lv.created,
                double(1ull << 47) / kReservationBytes);
  double aotIdleKernel = aotIdle + perInstance(lv, lv.pte);
  std::printf(">>> %d live AOT instances: %s; idle overhead %s per instance (RSS growth minus resident linear\n"
              "    memory), %s counting page tables; target <= 100 KiB: %s <<<\n\n",
              lv.requested, lv.created == lv.requested ? "succeeded" : "FAILED", bytesText(aotIdle).c_str(),
              bytesText(aotIdleKernel).c_str(),
              lv.created == lv.requested && aotIdleKernel <= 100 * 1024 ? "met" : "NOT MET");

  // ---- 3 ----
  std::fprintf(stderr, "  concurrent calls...\n");
  std::vector<std::unique_ptr<runtime::Instance>> instances;
  for (int i = 0; i < o.threads * o.perThread; ++i) {
    auto inst = aot();
    if (!inst) die("instantiating: " + inst.error().message());
    instances.push_back(std::move(*inst));
  }
  // Warm-up, then 1 thread over the first perThread instances, then all threads.
  runConcurrent(instances, 1, o.perThread, std::min(0.3, o.seconds), o.workRounds);
  ConcurrencyResult one = runConcurrent(instances, 1, o.perThread, o.seconds, o.workRounds);
  ConcurrencyResult many = runConcurrent(instances, o.threads, o.perThread, o.seconds, o.workRounds);
  std::printf("3. concurrent calls of work(seed, %u) (~%u loop rounds, one store each), every result checked, for %.1f s\n",
              o.workRounds, o.workRounds, o.seconds);
  fmt::print("{:<26} | {:>12} | {:>14} | {:>14} | {:>16} | {:>10}\n", "threads x instances", "calls", "calls/s",
             "per call", "process CPU", "calls/CPU-s");
  std::printf("%s\n", rule.c_str());
  for (const auto* r : {&one, &many})
    fmt::print("{:<26} | {:>12} | {:>14.0f} | {:>14} | {:>9.2f} cores | {:>10.0f}\n",
               fmt::format("{} x {}", r->threads, o.perThread), r->calls, r->callsPerSecond(),
               human(r->seconds / r->calls * r->threads), r->cpuSeconds / r->seconds, r->calls / r->cpuSeconds);
  std::printf("%s\n", rule.c_str());
  double scaling = many.callsPerSecond() / one.callsPerSecond();
  double cpuScaling = (many.calls / many.cpuSeconds) / (one.calls / one.cpuSeconds);
  std::printf(">>> %d threads / 1 thread: %.2fx the calls/s (at most min(%d, %u cores) = %ux here); per CPU-second:\n"
              "    %.2fx (1.0 = no contention cost); all %llu results and every instance's call counter verified <<<\n",
              o.threads, scaling, o.threads, cores, std::min<unsigned>(o.threads, cores), cpuScaling,
              static_cast<unsigned long long>(one.calls + many.calls));
  std::printf("    per call = wall time / calls per thread; process CPU = CPU seconds used / wall seconds.\n");
  std::printf("\n# total wall time %.1f s\n", secondsSince(t0));
  return lv.created == lv.requested ? 0 : 1;
}
