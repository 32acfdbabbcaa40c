// bench_migration: the downtime of a stateful live migration (issue 10) under a continuous
// at-least-once stream, against the floor of moving the same bytes through the same nats-server.
// Everything runs here, for real: a nats-server (tests/support NatsServer, JetStream on) and two
// `pelato host` processes (the release `pelato` binary).
//
// The component "counter" runs stateful_counter_task.wasm (tests/guests), stateful (annotation
// pelato.dev/stateful=true), behind a messaging link mig.in → mig.out with
// delivery=at-least-once. A producer publishes "1" to mig.in through JetStream at a fixed rate
// (each with a Nats-Msg-Id, resent with the same id until the stream acknowledges it), so output
// k reads "n=k sum=k". The bench watches mig.out with a core NATS subscription and timestamps
// every output as it arrives.
//
// For each state size (64 KiB, 1 MiB, 16 MiB by default) the counter gets a ballast of that many
// non-zero bytes ("ballast N" through the rpc call), then:
//   - one move with the stream paused: the "check" digest (counter, total, ballast and its
//     FNV-1a) must read the same before and after;
//   - --moves moves (A→B→A…) under the stream, each the two requests lattice::moveStateful makes
//     (component.snapshot with stop on the source, component.restore on the target), sent here
//     one by one so each is timed. Downtime of a move = the largest gap between two consecutive
//     outputs from the last one before the move started to the first one after the restore
//     answered: the source's last output to the target's first;
//   - after each move, the baseline: lattice::SnapshotStore::save of as many bytes as the
//     move's snapshot (512 KiB chunks, the same KV bucket) then load, on the bench's own
//     connection to the same nats-server, with the stream running as during the move. That is
//     the floor any snapshot-through-NATS migration pays; the ratio is downtime / baseline.
// Correctness is checked all along: outputs consecutive (no gap, no repeat, sum = n), and at the
// end the counter's n equals the number of messages the stream acknowledged. A failure is
// printed as CORRECTNESS FAILED and the exit code is 3.
//
// Targets (issue 10): downtime ≤ 50 ms at 1 MiB and ≤ 300 ms at 16 MiB on loopback.
//
// Usage: bench_migration [--moves N] [--rate R] [--sizes B,B,...] [--settle-ms MS] [--tier T]
//                        [--trace] [--guest-dir D]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/sha256.h"
#include "lattice/ctl_client.h"
#include "lattice/jetstream.h"
#include "lattice/nats_client.h"
#include "lattice/snapshot_api.h"
#include "lattice/snapshot_store.h"
#include "lattice/subjects.h"
#include "runtime/snapshot.h"
#include "support/cache_dir.h"
#include "support/child_process.h"
#include "support/lattice_probe.h"
#include "support/load_average.h"
#include "support/paced_producer.h"
#include "support/nats_server.h"

#ifndef PELATO_GUEST_DIR
#error "PELATO_GUEST_DIR must be defined (bench/CMakeLists.txt does)"
#endif
#ifndef PELATO_BINARY
#error "PELATO_BINARY must be defined (bench/CMakeLists.txt does)"
#endif

namespace {

using namespace pelato;
using bench::loadAverage;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HostChild;

constexpr const char* kLattice = "migration";
constexpr const char* kComponentId = "counter";
constexpr const char* kIn = "mig.in";
constexpr const char* kOut = "mig.out";
// Issue 10's targets, loopback.
constexpr double kTarget1MiBMs = 50;
constexpr double kTarget16MiBMs = 300;

struct Options {
  uint32_t moves = 10;
  double rate = 1000;
  std::vector<uint64_t> sizes{64 * 1024, 1024 * 1024, 16 * 1024 * 1024};
  uint32_t settleMs = 400;
  std::string tier = "auto";
  bool trace = false;
  std::string guestDir = PELATO_GUEST_DIR;
};

[[noreturn]] void die(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "bench_migration: %s\n", message.c_str());
  std::exit(1);
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Nearest rank: with 10 samples p90 is the 9th.
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string sizeName(uint64_t bytes) {
  if (bytes % (1024 * 1024) == 0) return fmt::format("{} MiB", bytes / (1024 * 1024));
  if (bytes % 1024 == 0) return fmt::format("{} KiB", bytes / 1024);
  return fmt::format("{} B", bytes);
}

// --- children ----------------------------------------------------------------------------------

// Not testing::startHost, which reports a failure through GoogleTest.
HostChild startHost(const std::string& url, const Options& o) {
  auto child = testing::ChildProcess::start({PELATO_BINARY, "host", "--nats", url, "--lattice",
                                             kLattice, "--heartbeat-ms", "1000", "--allow-unsigned",
                                             "--http-port", "-1", "--tier", o.tier});
  if (!child) die(child.error().message());
  // "host <id> started on lattice ..."
  if (!(*child)->waitForOutput(" started", 20s))
    die("pelato host did not start: " + (*child)->output());
  std::string out = (*child)->output();
  if (!out.starts_with("host ")) die("unexpected pelato host output: " + out);
  return HostChild{.process = std::move(*child), .id = out.substr(5, out.find(' ', 5) - 5)};
}

// --- the stream --------------------------------------------------------------------------------

// Every output on mig.out (core NATS), timestamped on arrival, checked as it comes: output k
// must read "n=k sum=k" and follow output k-1.
class Observer {
 public:
  explicit Observer(lattice::NatsClient& nats) {
    auto sub = nats.subscribe(kOut, [this](lattice::NatsMessage m) { onOutput(m.data); });
    if (!sub || !nats.flush()) die("subscribing to " + std::string(kOut));
    sub_.emplace(std::move(*sub));
  }

  struct Arrival {
    Clock::time_point at;
    uint64_t n;
  };

  // The arrivals from the last one at or before `from` to the first one after `until`, once
  // there is one (or `timeout`: then empty).
  std::vector<Arrival> window(Clock::time_point from, Clock::time_point until,
                              std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    bool seen = changed_.wait_for(
        lock, timeout, [&] { return !arrivals_.empty() && arrivals_.back().at > until; });
    if (!seen) return {};
    auto first = std::upper_bound(arrivals_.begin(), arrivals_.end(), from,
                                  [](Clock::time_point t, const Arrival& a) { return t < a.at; });
    if (first != arrivals_.begin()) --first;
    auto last = std::upper_bound(arrivals_.begin(), arrivals_.end(), until,
                                 [](Clock::time_point t, const Arrival& a) { return t < a.at; });
    return std::vector<Arrival>(first, last + 1);
  }

  // Waits until output `n` has arrived.
  bool waitFor(uint64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return last_ >= n; });
  }

  uint64_t last() {
    std::lock_guard lock(mutex_);
    return last_;
  }
  std::vector<std::string> problems() {
    std::lock_guard lock(mutex_);
    return problems_;
  }
  size_t count() {
    std::lock_guard lock(mutex_);
    return arrivals_.size();
  }

 private:
  void onOutput(const std::string& data) {
    auto now = Clock::now();
    unsigned long long n = 0, sum = 0;
    int read = std::sscanf(data.c_str(), "n=%llu sum=%llu", &n, &sum);
    std::lock_guard lock(mutex_);
    if (read != 2 || n != sum) {
      problems_.push_back(fmt::format("output \"{}\" is not n=k sum=k", data));
    } else if (n != last_ + 1) {
      problems_.push_back(
          n <= last_ ? fmt::format("output n={} repeated (after n={})", n, last_)
                     : fmt::format("gap: n={} after n={} ({} lost)", n, last_, n - last_ - 1));
      last_ = std::max<uint64_t>(last_, n);
    } else {
      last_ = n;
    }
    arrivals_.push_back({now, n});
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Arrival> arrivals_;
  std::vector<std::string> problems_;
  uint64_t last_ = 0;
  std::optional<lattice::NatsSubscription> sub_;
};

// --- one move ----------------------------------------------------------------------------------

struct Move {
  uint64_t snapshotBytes = 0;
  double downtime = 0;     // ms: the largest gap between consecutive outputs around the move
  double snapshotRtt = 0;  // ms: component.snapshot with stop, request to reply
  double sourceTook = 0;   // ms: its took_ms (quiesce, snapshot, encode, store), on the source
  double restoreRtt = 0;   // ms: component.restore, request to reply
  double targetTook = 0;   // ms: its took_ms (load, decode, instantiate, subscribe), on the target
  double firstOutput = 0;  // ms: restore reply to the first output after it
  double baseline = 0;     // ms: SnapshotStore save + load of snapshotBytes, after the move
  double baselineSave = 0, baselineLoad = 0;
};

lattice::StringMap statefulAnnotations() {
  return {{std::string(lattice::kStatefulAnnotation), "true"}};
}

std::string counterRef(const Options& o) {
  return fmt::format("file://{}/stateful_counter_task.wasm", o.guestDir);
}

// The two requests of lattice::moveStateful, timed one by one. Dies on a failure: a benchmark of
// a broken migration is worse than none.
Move moveOnce(lattice::CtlClient& ctl, const Options& o, const std::string& from,
              const std::string& to, Clock::time_point* restoredAt) {
  Move m;
  auto t0 = Clock::now();
  auto snapshot = ctl.snapshot(from, {.componentId = kComponentId, .stop = true}, 30s);
  auto t1 = Clock::now();
  if (!snapshot) die("snapshot on " + from + ": " + snapshot.error().message());
  auto restored = ctl.restore(to,
                              {.componentRef = counterRef(o),
                               .componentId = kComponentId,
                               .annotations = statefulAnnotations()},
                              30s);
  auto t2 = Clock::now();
  if (!restored) die("restore on " + to + ": " + restored.error().message());
  m.snapshotBytes = snapshot->bytes;
  m.snapshotRtt = ms(t1 - t0);
  m.sourceTook = static_cast<double>(snapshot->tookMs);
  m.restoreRtt = ms(t2 - t1);
  m.targetTook = static_cast<double>(restored->tookMs);
  *restoredAt = t2;
  return m;
}

std::string call(lattice::CtlClient& ctl, const std::string& input) {
  auto out = ctl.call(kComponentId, input, 30s);
  if (!out) die("rpc call \"" + input + "\": " + out.error().message());
  return *out;
}

// The transfer floor: the same number of bytes through the same nats-server and KV bucket, with
// the code the hosts use (SnapshotStore: 512 KiB chunks, sha256 on both ends).
void baseline(lattice::SnapshotStore& store, const std::vector<uint8_t>& bytes, Move& m) {
  auto t0 = Clock::now();
  auto saved = store.save("bench-baseline", bytes, {.componentRef = "bench", .hostId = "bench"});
  auto t1 = Clock::now();
  if (!saved) die("baseline save: " + saved.error().message());
  auto loaded = store.load("bench-baseline");
  auto t2 = Clock::now();
  if (!loaded || !*loaded || (*loaded)->bytes.size() != bytes.size())
    die("baseline load: " +
        (loaded ? std::string("nothing or the wrong size") : loaded.error().message()));
  m.baselineSave = ms(t1 - t0);
  m.baselineLoad = ms(t2 - t1);
  m.baseline = ms(t2 - t0);
}

// A snapshot of `pages` non-zero pages, encoded and decoded in this process: what the hosts'
// encode and decode cost on their own, without NATS.
struct Codec {
  double encode = 0, decode = 0, sha256 = 0;  // ms
};
Codec codecCost(uint64_t bytes) {
  runtime::InstanceSnapshot s;
  uint32_t pages =
      static_cast<uint32_t>((bytes + runtime::kWasmPageBytes - 1) / runtime::kWasmPageBytes);
  s.memories.push_back(
      {.pages = pages, .bytes = std::vector<uint8_t>(pages * runtime::kWasmPageBytes)});
  for (size_t i = 0; i < s.memories[0].bytes.size(); ++i)
    s.memories[0].bytes[i] = static_cast<uint8_t>(i * 31 + 7) | 1;
  std::vector<double> enc, dec, hash;
  for (int r = 0; r < 5; ++r) {
    auto t0 = Clock::now();
    auto encoded = runtime::encodeSnapshot(s);
    auto t1 = Clock::now();
    auto decoded = runtime::decodeSnapshot(encoded);
    auto t2 = Clock::now();
    if (!decoded) die("decoding an encoded snapshot: " + decoded.error().message());
    Sha256 digest = sha256(encoded);  // what SnapshotStore::save and ::load each add
    auto t3 = Clock::now();
    if (digest == Sha256{}) die("sha256 of the snapshot is all zeros");
    enc.push_back(ms(t1 - t0));
    dec.push_back(ms(t2 - t1));
    hash.push_back(ms(t3 - t2));
  }
  return {.encode = median(enc), .decode = median(dec), .sha256 = median(hash)};
}

struct SizeResult {
  uint64_t ballast = 0;
  std::vector<Move> moves;
  double pausedMove = 0;
  Codec codec;
};

int runBench(const Options& o) {
  auto wallStart = Clock::now();
  std::string wasm = (std::filesystem::path(o.guestDir) / "stateful_counter_task.wasm").string();
  if (!std::filesystem::exists(wasm)) die(wasm + " is missing: build the `guests` target");
  if (!std::filesystem::exists(PELATO_BINARY))
    die(std::string(PELATO_BINARY) + " is missing: build `pelato`");

  bench::CacheDir cache("pelato-bench-migration");
  setenv("PELATO_CACHE_DIR", cache.path.c_str(), 1);
  auto server = testing::NatsServer::start();
  if (!server) die(server.error().message());
  std::string url = (*server)->url();

  fmt::print(
      "# pelato migration benchmark: stateful live migration under an at-least-once stream\n");
  fmt::print(
      "# reproduce: bench/migration/run.sh build/release   (or: "
      "build/release/bench/bench_migration)\n");
  fmt::print("# nats-server on {}; {} hardware threads; load average at start {}\n", url,
             std::thread::hardware_concurrency(), loadAverage());
  fmt::print(
      "# 2 pelato hosts (--tier {}), {} msg/s into {} (JetStream, Nats-Msg-Id), {} moves per size, "
      "{} ms between moves\n",
      o.tier, o.rate, kIn, o.moves, o.settleMs);

  auto connect = [&](const char* name) {
    auto client = lattice::NatsClient::connect({.url = url, .name = name});
    if (!client) die(client.error().message());
    return std::move(*client);
  };
  auto control = connect("bench-migration-control");
  auto producerConn = connect("bench-migration-producer");
  auto observerConn = connect("bench-migration-observer");
  auto storeConn = connect("bench-migration-baseline");
  auto producerJs = lattice::JetStream::open(*producerConn);
  if (!producerJs) die(producerJs.error().message());
  if (!(*producerJs)->streamFor(kLattice, kIn) || !(*producerJs)->streamFor(kLattice, kOut))
    die("creating the streams of mig.in and mig.out");
  auto store = lattice::SnapshotStore::open(*storeConn, kLattice);
  if (!store) die(store.error().message());
  auto subjects = lattice::Subjects::create(kLattice);
  if (!subjects) die(subjects.error().message());
  lattice::CtlClient ctl(*control, *subjects, 10s);

  // Compiled once, before any host needs it (one AOT cache for both).
  if (o.tier != "interp") {
    auto child = testing::ChildProcess::start({PELATO_BINARY, "compile", wasm});
    if (!child) die(child.error().message());
    if ((*child)->waitExit(300s) != 0)
      die("pelato compile " + wasm + " failed: " + (*child)->output());
  }
  HostChild hosts[2] = {startHost(url, o), startHost(url, o)};
  lattice::Link link{
      .sourceId = kComponentId,
      .target = "provider",
      .witNamespace = "wasmcloud",
      .witPackage = "messaging",
      .interfaces = {"consumer"},
      .sourceConfig = {fmt::format("subscriptions={}", kIn), fmt::format("destination={}", kOut),
                       "delivery=at-least-once"}};
  if (auto ok = ctl.linkPut(link); !ok) die("link put: " + ok.error().message());
  lattice::ScaleComponentCommand scale{.componentRef = counterRef(o),
                                       .componentId = kComponentId,
                                       .hostId = hosts[0].id,
                                       .maxInstances = 1,
                                       .annotations = statefulAnnotations()};
  if (auto ok = ctl.scale(scale, 30s); !ok) die("scale on host A: " + ok.error().message());
  if (!testing::waitForService(*control, *subjects->rpc(kComponentId), "check", "n=0", 30s))
    die("the counter does not answer on host A");

  Observer observer(*observerConn);
  // "1" with Nats-Msg-Id "m-<n>": every message adds 1 to the counter.
  bench::PacedProducer producer(**producerJs, kIn, o.rate, [](uint64_t) { return std::string("1"); },
                                [](uint64_t n) { return fmt::format("m-{}", n); });
  int at = 0;  // the host that runs the counter
  bool correct = true;
  auto failCheck = [&](const std::string& what) {
    correct = false;
    fmt::print("# CORRECTNESS FAILED: {}\n", what);
  };
  // Pauses the stream and waits until every acknowledged message has its output.
  auto drain = [&] {
    if (!producer.stop(30s)) die("the stream did not acknowledge every message within 30 s");
    uint64_t acked = producer.acknowledged();
    if (!observer.waitFor(acked, 30s))
      failCheck(
          fmt::format("{} messages acknowledged, outputs only up to n={}", acked, observer.last()));
    return acked;
  };

  // Warm-up: one move there and back under the stream (first restore on each host), not counted.
  producer.start();
  if (!observer.waitFor(50, 30s)) die("nothing reaches " + std::string(kOut));
  for (int i = 0; i < 2; ++i) {
    Clock::time_point restoredAt;
    moveOnce(ctl, o, hosts[at].id, hosts[1 - at].id, &restoredAt);
    at = 1 - at;
    std::this_thread::sleep_for(std::chrono::milliseconds(o.settleMs));
  }

  std::vector<SizeResult> results;
  for (uint64_t size : o.sizes) {
    SizeResult r{.ballast = size};
    // The ballast, then one move with the stream paused: the whole state reads the same after.
    uint64_t acked = drain();
    std::string ballast = call(ctl, fmt::format("ballast {}", size));
    if (ballast != fmt::format("ballast={}", size))
      die("ballast: the counter answered \"" + ballast + "\"");
    std::string before = call(ctl, "check");
    if (!before.starts_with(fmt::format("n={} sum={} ballast={} ", acked, acked, size)))
      failCheck(
          fmt::format("check before the paused move reads \"{}\", expected n={} and ballast={}",
                      before, acked, size));
    Clock::time_point restoredAt;
    auto t0 = Clock::now();
    moveOnce(ctl, o, hosts[at].id, hosts[1 - at].id, &restoredAt);
    r.pausedMove = ms(restoredAt - t0);
    at = 1 - at;
    std::string after = call(ctl, "check");
    if (after != before)
      failCheck(fmt::format("check reads \"{}\" before the move, \"{}\" after", before, after));
    else
      fmt::print("# {}: paused move {:.1f} ms, state identical after it ({})\n", sizeName(size),
                 r.pausedMove, after);

    r.codec = codecCost(size);

    producer.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(o.settleMs));
    std::vector<uint8_t> payload;
    for (uint32_t i = 0; i < o.moves; ++i) {
      auto started = Clock::now();
      Move m = moveOnce(ctl, o, hosts[at].id, hosts[1 - at].id, &restoredAt);
      at = 1 - at;
      auto window = observer.window(started, restoredAt, 30s);
      if (window.size() < 2)
        die(fmt::format("no output within 30 s of move {} of {}", i + 1, sizeName(size)));
      for (size_t k = 1; k < window.size(); ++k)
        m.downtime = std::max(m.downtime, ms(window[k].at - window[k - 1].at));
      m.firstOutput = ms(window.back().at - restoredAt);
      if (o.trace)
        fmt::print(stderr, "move {} {}: {} outputs in the window, n={}..{}\n", i + 1,
                   sizeName(size), window.size(), window.front().n, window.back().n);
      std::this_thread::sleep_for(std::chrono::milliseconds(o.settleMs / 2));
      if (payload.size() != m.snapshotBytes) {
        payload.resize(m.snapshotBytes);
        for (size_t k = 0; k < payload.size(); ++k) payload[k] = static_cast<uint8_t>(k * 131 + 17);
      }
      baseline(**store, payload, m);
      std::this_thread::sleep_for(std::chrono::milliseconds(o.settleMs / 2));
      r.moves.push_back(m);
    }
    results.push_back(std::move(r));
  }

  // The end: every acknowledged message counted exactly once.
  uint64_t acked = drain();
  std::this_thread::sleep_for(1s);  // a late redelivery would show as a repeat
  std::string final = call(ctl, "check");
  if (!final.starts_with(fmt::format("n={} sum={} ", acked, acked)))
    failCheck(fmt::format("{} messages acknowledged, the counter reads \"{}\"", acked, final));
  for (const auto& p : observer.problems()) failCheck(p);

  // --- report --------------------------------------------------------------------------------
  fmt::print("\nper move (ms), medians over {} moves under the stream (p90 in brackets):\n",
             o.moves);
  fmt::print(
      "{:<8} | {:>11} | {:>18} | {:>18} | {:>11} | {:>11} | {:>11} | {:>11} | {:>10} | {:>11} | "
      "{:>11}\n",
      "state", "snapshot", "DOWNTIME", "baseline", "RATIO", "snap rtt", "src took", "restore rtt",
      "tgt took", "1st output", "kv save/load");
  fmt::print(
      "{:-<8}-+-{:-<11}-+-{:-<18}-+-{:-<18}-+-{:-<11}-+-{:-<11}-+-{:-<11}-+-{:-<11}-+-{:-<10}-+-{:-"
      "<11}-+-{:-<11}\n",
      "", "", "", "", "", "", "", "", "", "", "");
  std::vector<std::string> targets;
  for (const auto& r : results) {
    auto col = [&](auto field) {
      std::vector<double> v;
      for (const auto& m : r.moves) v.push_back(m.*field);
      return v;
    };
    auto downtime = col(&Move::downtime), base = col(&Move::baseline);
    std::vector<double> ratio;
    for (const auto& m : r.moves) ratio.push_back(m.downtime / std::max(m.baseline, 0.001));
    uint64_t bytes = r.moves.empty() ? 0 : r.moves.back().snapshotBytes;
    fmt::print(
        "{:<8} | {:>9.0f}KB | {:>7.1f} [{:>7.1f}] | {:>7.1f} [{:>7.1f}] | {:>10.2f}x | {:>11.1f} | "
        "{:>11.1f} | "
        "{:>11.1f} | {:>10.1f} | {:>11.1f} | {:>5.1f}/{:<5.1f}\n",
        sizeName(r.ballast), static_cast<double>(bytes) / 1000.0, median(downtime),
        percentile(downtime, 0.9), median(base), percentile(base, 0.9), median(ratio),
        median(col(&Move::snapshotRtt)), median(col(&Move::sourceTook)),
        median(col(&Move::restoreRtt)), median(col(&Move::targetTook)),
        median(col(&Move::firstOutput)), median(col(&Move::baselineSave)),
        median(col(&Move::baselineLoad)));
    double limit = r.ballast == 1024 * 1024        ? kTarget1MiBMs
                   : r.ballast == 16 * 1024 * 1024 ? kTarget16MiBMs
                                                   : 0;
    if (limit > 0)
      targets.push_back(fmt::format(
          "    target downtime <= {:.0f} ms at {}: {} (median {:.1f} ms, p90 {:.1f} ms)", limit,
          sizeName(r.ballast), median(downtime) <= limit ? "met" : "NOT MET", median(downtime),
          percentile(downtime, 0.9)));
  }
  fmt::print(
      "\nin-process, a snapshot of as many non-zero pages (runtime/snapshot.h, median of 5; encode "
      "and decode\n"
      "each hash it once, SnapshotStore::save and ::load once more each: 4 SHA-256 passes per "
      "move):\n");
  for (const auto& r : results)
    fmt::print("    {:<8} encode {:7.1f} ms   decode {:7.1f} ms   one sha256 {:7.1f} ms\n",
               sizeName(r.ballast), r.codec.encode, r.codec.decode, r.codec.sha256);
  fmt::print("\n>>> downtime / transfer floor (median of per-move ratios):");
  for (const auto& r : results) {
    std::vector<double> ratio;
    for (const auto& m : r.moves) ratio.push_back(m.downtime / std::max(m.baseline, 0.001));
    fmt::print(" {} {:.2f}x |", sizeName(r.ballast), median(ratio));
  }
  fmt::print(" <<<\n");
  for (const auto& t : targets) fmt::print("{}\n", t);
  fmt::print(
      "# downtime: the largest gap between consecutive outputs on {} (core NATS, arrival times "
      "here) from the\n"
      "# last output before the snapshot request to the first after the restore reply. baseline: "
      "SnapshotStore\n"
      "# save + load of the snapshot's byte count (512 KiB chunks) on this process's own "
      "connection, right after\n"
      "# the move, stream running. snap rtt / src took: component.snapshot with stop, seen here / "
      "on the source\n"
      "# (quiesce + snapshot + encode + store); restore rtt / tgt took: component.restore, here / "
      "on the target\n"
      "# (load + decode + instantiate + subscribe); 1st output: restore reply to the first "
      "output.\n",
      kOut);
  fmt::print(
      "\nmessages: {} sent, {} acknowledged by JetStream ({} resends), {} outputs seen, counter: "
      "{}\n",
      producer.sent(), acked, producer.retries(), observer.count(), final);
  fmt::print("correctness: {}\n",
             correct ? "every output consecutive (n=k sum=k, no gap, no repeat), state identical "
                       "across the paused moves, every acknowledged message counted once"
                     : "CORRECTNESS FAILED (see above)");
  fmt::print("# load average at the end {}; total wall time {:.1f} s\n", loadAverage(),
             ms(Clock::now() - wallStart) / 1000);
  std::fflush(stdout);
  for (auto& h : hosts) h.process->stop(10s);
  return correct ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "pelato migration benchmark: downtime of a stateful live migration under an at-least-once "
      "stream"};
  app.add_option("--moves", o.moves, "Measured moves per state size (A->B->A...)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  app.add_option("--rate", o.rate, "Messages per second into the at-least-once stream")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 100000.0));
  app.add_option("--sizes", o.sizes, "State sizes (ballast bytes), ascending")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--settle-ms", o.settleMs,
                 "Time between moves (half before the baseline, half after)")
      ->capture_default_str();
  app.add_option("--tier", o.tier, "The hosts' engine tier: interp, aot or auto")
      ->capture_default_str();
  app.add_flag("--trace", o.trace, "Print each move's output window (stderr)");
  app.add_option("--guest-dir", o.guestDir, "Where stateful_counter_task.wasm is")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return runBench(o);
}
