// bench_failover: how fast `pelato orchestrator` notices a host killed with SIGKILL and puts its
// instances back, and whether an at-least-once stream through the component loses a message
// meanwhile (issue 7). Everything runs here, for real: a nats-server (tests/support NatsServer,
// JetStream on), one `pelato orchestrator`, two edge and two cloud `pelato host` processes.
//
// The application "fo" (manifest below) runs upper_task.wasm as component fo-relay, 4 instances
// spread 50/50 over host-type=edge and host-type=cloud (so one per host), behind a messaging link
// fo.in → fo.out with delivery=at-least-once. A producer publishes to fo.in through JetStream at a
// fixed rate, each message with a Nats-Msg-Id (retried, same id, until the stream acknowledges
// it); a reader drains the destination stream (fo.out) through a durable pull consumer and counts
// distinct inputs and duplicates.
//
// Then, N rounds: SIGKILL one edge host (the two edge slots alternate) and time, from the kill,
//   detection  the first component.scale request the orchestrator sends (the bench subscribes to
//              wasmbus.ctl.v1.<lattice>.component.scale.*);
//   recovery   the component_scaled event that brings the instances on live hosts back to 4
//              (per-host counts from component_scaled events; the killed host's drop at the kill);
// then start a replacement edge host and wait until every host runs one instance again (the
// orchestrator moves one back by itself), and let things settle before the next kill.
// At the end: messages acknowledged by JetStream, distinct ones delivered, lost, duplicates, and
// the recovery median against the thesis's 23 s and wadm's ~70 s.
//
// A host that exits by itself (a crash, not the bench's kill) is reported as a CRASH and replaced
// before the next round. Exit code: 0, 3 if a message was lost, 4 if a round never recovered, 5 if
// a host crashed.
//
// Usage: bench_failover [--kills N] [--rate R] [--heartbeat-ms MS] [--settle-s S] [--trace]
//                       [--no-precompile] [--no-quiet-wait] [--guest-dir D]
#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lattice/events.h"
#include "lattice/jetstream.h"
#include "lattice/json_reader.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"
#include "lattice/wadm_client.h"
#include "support/cache_dir.h"
#include "support/child_process.h"
#include "support/load_average.h"
#include "support/paced_producer.h"
#include "support/lattice_probe.h"
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

constexpr const char* kLattice = "failover";
constexpr const char* kApp = "fo";
constexpr const char* kComponentId = "fo-relay";  // "<app>-<component>"
constexpr const char* kIn = "fo.in";
constexpr const char* kOut = "fo.out";
constexpr uint32_t kInstances = 4;
// Failover times this benchmark is compared against, as issue 7 gives them: the thesis's, and
// wadm's.
constexpr double kThesisSeconds = 23;
constexpr double kWadmSeconds = 70;

struct Options {
  uint32_t kills = 10;
  double rate = 500;
  uint64_t heartbeatMs = 1000;
  double settleSeconds = 3;
  bool trace = false;
  bool precompile = true;
  bool quietWait = true;
  std::string guestDir = PELATO_GUEST_DIR;
};

[[noreturn]] void die(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "bench_failover: %s\n", message.c_str());
  std::exit(1);
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string manifestText(const std::string& wasm) {
  return fmt::format(R"(apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: {app}}}
spec:
  components:
    - name: relay
      type: component
      properties: {{image: "file://{wasm}"}}
      traits:
        - type: spreadscaler
          properties:
            instances: {instances}
            spread:
              - {{name: edge, weight: 50, requirements: {{host-type: edge}}}}
              - {{name: cloud, weight: 50, requirements: {{host-type: cloud}}}}
        - type: link
          properties:
            target: nats
            namespace: wasmcloud
            package: messaging
            interfaces: [consumer]
            source_config:
              - {{name: relay-subs, properties: {{subscriptions: {in}, destination: {out}, delivery: at-least-once, ack_wait_ms: "2000"}}}}
    - name: nats
      type: capability
      properties: {{image: builtin-messaging}}
)",
                     fmt::arg("app", kApp), fmt::arg("wasm", wasm),
                     fmt::arg("instances", kInstances), fmt::arg("in", kIn), fmt::arg("out", kOut));
}

// --- children ----------------------------------------------------------------------------------

// Not testing::startHost: that one fixes --heartbeat-ms at 200 ms, and the orchestrator must
// agree with the hosts on the period.
HostChild startHost(const std::string& url, const std::string& type, uint64_t heartbeatMs) {
  auto child = testing::ChildProcess::start(
      {PELATO_BINARY, "host", "--nats", url, "--lattice", kLattice, "--heartbeat-ms",
       std::to_string(heartbeatMs), "--label", "host-type=" + type, "--allow-unsigned",
       "--http-port", "-1", "--tier", "aot"});
  if (!child) die(child.error().message());
  // "host <id> started on lattice ..."
  if (!(*child)->waitForOutput(" started", 20s))
    die("pelato host did not start: " + (*child)->output());
  std::string out = (*child)->output();
  if (!out.starts_with("host ")) die("unexpected pelato host output: " + out);
  return HostChild{.process = std::move(*child), .id = out.substr(5, out.find(' ', 5) - 5)};
}

// --- what the orchestrator does ----------------------------------------------------------------

// Watches the lattice from the outside: instances of fo-relay per host (component_scaled events)
// and the component.scale requests the orchestrator sends. Handlers run on nats.c threads.
class LatticeWatch {
 public:
  LatticeWatch(lattice::NatsClient& nats, bool trace) : trace_(trace) {
    auto subjects = *lattice::Subjects::create(kLattice);
    auto events =
        nats.subscribe(subjects.eventWildcard(), [this](lattice::NatsMessage m) { onEvent(m); });
    auto scales = nats.subscribe(fmt::format("wasmbus.ctl.v1.{}.component.scale.*", kLattice),
                                 [this](lattice::NatsMessage m) { onScaleRequest(m); });
    if (!events || !scales || !nats.flush())
      die("subscribing to the lattice's events and scale requests");
    events_.emplace(std::move(*events));
    scales_.emplace(std::move(*scales));
  }

  // Marks `host` dead as of `at` (call it just before the kill, so no event of the host's can
  // come after): its instances no longer count, and the failover clock starts.
  void hostKilled(const std::string& host, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    killed_.insert(host);
    counts_.erase(host);
    killAt_ = at;
    detectedAt_.reset();
    recoveredAt_.reset();
  }

  // `host` went away by itself (it crashed): its instances no longer count.
  void hostGone(const std::string& host) {
    std::lock_guard lock(mutex_);
    killed_.insert(host);
    counts_.erase(host);
    changed_.notify_all();
  }

  // Waits until the orchestrator sent no scale request for `quiet` (false after `timeout`): a
  // scale it repeats after a slow reply must not land in the middle of a measurement.
  bool waitQuiet(std::chrono::milliseconds quiet, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        if (Clock::now() - lastScaleAt_ >= quiet) return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  struct Failover {
    std::optional<double> detection, recovery;  // seconds after the kill; empty: not seen
  };
  // Waits until the instances are back to 4 on live hosts (or `timeout`).
  Failover waitFailover(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return recoveredAt_.has_value(); });
    Failover f;
    if (detectedAt_) f.detection = seconds(*detectedAt_ - *killAt_);
    if (recoveredAt_) f.recovery = seconds(*recoveredAt_ - *killAt_);
    killAt_.reset();
    return f;
  }

  // Waits until each of `hosts` runs exactly one instance (the manifest's layout: 4 instances,
  // 50/50 over two edge and two cloud hosts).
  bool waitBalanced(const std::vector<std::string>& hosts, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    auto runsOne = [&](const std::string& h) { return counts_.contains(h) && counts_.at(h) == 1; };
    return changed_.wait_for(lock, timeout, [&] {
      return liveTotal() == kInstances && std::all_of(hosts.begin(), hosts.end(), runsOne);
    });
  }

  size_t scaleRequests() {
    std::lock_guard lock(mutex_);
    return scaleRequests_;
  }

 private:
  void onEvent(const lattice::NatsMessage& m) {
    auto now = Clock::now();
    auto json = lattice::parseJson(m.data);
    if (!json) return;
    auto event = lattice::CloudEvent::fromJson(*json);
    if (!event || event->latticeType() != lattice::event_type::kComponentScaled) return;
    auto scaled = lattice::ComponentScaled::fromJson(event->data);
    if (!scaled || scaled->componentId != kComponentId) return;
    std::lock_guard lock(mutex_);
    if (trace_)
      fmt::print(stderr, "{:9.3f} component_scaled {} x{}\n", seconds(now - start_),
                 scaled->hostId.substr(0, 8), scaled->maxInstances);
    if (killed_.contains(scaled->hostId)) return;  // already sent when the host died
    counts_[scaled->hostId] = scaled->maxInstances;
    if (killAt_ && !recoveredAt_ && liveTotal() == kInstances) recoveredAt_ = now;
    changed_.notify_all();
  }

  void onScaleRequest(const lattice::NatsMessage& m) {
    auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (trace_)
      fmt::print(stderr, "{:9.3f} scale request {} {}\n", seconds(now - start_),
                 m.subject.substr(m.subject.rfind('.') + 1, 8), m.data);
    ++scaleRequests_;
    lastScaleAt_ = now;
    if (killAt_ && !detectedAt_) detectedAt_ = now;
  }

  uint32_t liveTotal() const {
    uint32_t total = 0;
    for (const auto& [host, count] : counts_) total += count;
    return total;
  }

  bool trace_;  // print every scale request and component_scaled event (stderr)
  Clock::time_point start_ = Clock::now();
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, uint32_t> counts_;  // fo-relay instances by live host
  std::set<std::string> killed_;
  std::optional<Clock::time_point> killAt_, detectedAt_, recoveredAt_;
  Clock::time_point lastScaleAt_ = Clock::now();
  size_t scaleRequests_ = 0;
  std::optional<lattice::NatsSubscription> events_, scales_;
};

// --- the stream --------------------------------------------------------------------------------

// Reads the destination stream from its start (a durable pull consumer of its own) and counts
// each output by the input it came from: upper_task turns "in-<n>" into "IN-<n> #<calls>".
class Reader {
 public:
  Reader(lattice::JetStream& js, const std::string& stream) {
    auto consumer = js.pullConsumer(
        stream, kOut, {.durable = "bench-reader"}, [] { return size_t{256}; },
        [this](lattice::JsMessage m) { onMessage(std::move(m)); });
    if (!consumer) die("reading " + stream + ": " + consumer.error().message());
    consumer_ = std::move(*consumer);
  }
  ~Reader() { consumer_.reset(); }

  uint64_t distinct() const { return distinct_.load(); }
  uint64_t duplicates() const { return duplicates_.load(); }
  uint64_t malformed() const { return malformed_.load(); }

  // Waits until `count` distinct messages arrived, or nothing new did for `quiet`.
  bool waitDistinct(uint64_t count, std::chrono::seconds quiet) {
    uint64_t last = distinct();
    auto lastProgress = Clock::now();
    while (distinct() < count) {
      std::this_thread::sleep_for(50ms);
      if (distinct() != last) {
        last = distinct();
        lastProgress = Clock::now();
      } else if (Clock::now() - lastProgress > quiet) {
        return false;
      }
    }
    return true;
  }

 private:
  void onMessage(lattice::JsMessage m) {
    (void)m.ack();
    const std::string& data = m.data();
    char* end = nullptr;
    uint64_t n = data.starts_with("IN-") ? std::strtoull(data.c_str() + 3, &end, 10) : 0;
    if (!end || end == data.c_str() + 3) {
      malformed_.fetch_add(1);
      return;
    }
    std::lock_guard lock(mutex_);
    if (n >= seen_.size()) seen_.resize(std::max<size_t>(n + 1, seen_.size() * 2), 0);
    if (seen_[n]) {
      duplicates_.fetch_add(1);
    } else {
      seen_[n] = 1;
      distinct_.fetch_add(1);
    }
  }

  std::mutex mutex_;
  std::vector<uint8_t> seen_;  // by input number
  std::atomic<uint64_t> distinct_{0}, duplicates_{0}, malformed_{0};
  std::unique_ptr<lattice::PullConsumer> consumer_;
};

// --- the rounds --------------------------------------------------------------------------------

struct Round {
  std::string killed;
  std::optional<double> detection, recovery;
  double rebalance = 0;  // replacement started → one instance per host again
  bool rebalanced = false;
};

// Nearest rank: with 10 samples p95 is the largest.
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

std::string fmtSeconds(const std::optional<double>& s) {
  return s ? fmt::format("{:.2f} s", *s) : "never";
}

std::vector<std::string> liveHosts(const std::vector<HostChild>& edge,
                                   const std::vector<HostChild>& cloud) {
  std::vector<std::string> ids;
  for (const auto* group : {&edge, &cloud})
    for (const auto& h : *group) ids.push_back(h.id);
  return ids;
}

// Hosts that exited by themselves (nobody killed them) are reported and replaced, so the next
// round starts from 2 + 2 again; returns how many.
size_t replaceCrashedHosts(LatticeWatch& watch, std::vector<HostChild>& edge,
                           std::vector<HostChild>& cloud, const std::string& url,
                           const Options& o) {
  size_t crashed = 0;
  for (auto [group, type] : {std::pair{&edge, "edge"}, std::pair{&cloud, "cloud"}})
    for (auto& host : *group) {
      auto code = host.process->waitExit(0ms);
      if (!code) continue;
      ++crashed;
      fmt::print("# CRASH: {} host {} exited by itself (code {}); replacing it\n", type, host.id,
                 *code);
      watch.hostGone(host.id);
      host = startHost(url, type, o.heartbeatMs);
    }
  if (crashed && !watch.waitBalanced(liveHosts(edge, cloud), 60s))
    fmt::print(
        "# the layout did not come back to one instance per host after replacing crashed hosts\n");
  return crashed;
}

// One round: kill the edge host in `slot`, time the failover, put a new edge host in its place
// and wait for the layout to come back.
Round killRound(LatticeWatch& watch, std::vector<HostChild>& edge,
                const std::vector<HostChild>& cloud, size_t slot, const std::string& url,
                const Options& o) {
  Round r{.killed = edge[slot].id};
  if (o.trace) fmt::print(stderr, "killing {}\n", r.killed.substr(0, 8));
  watch.hostKilled(r.killed, Clock::now());
  edge[slot].process->signal(SIGKILL);
  if (auto code = edge[slot].process->waitExit(5s); code != 128 + SIGKILL)
    fmt::print("# host {} did not die of the SIGKILL (exit {}): it had crashed before\n", r.killed,
               code ? std::to_string(*code) : "none");
  auto failover = watch.waitFailover(60s);
  r.detection = failover.detection;
  r.recovery = failover.recovery;

  auto replacementStart = Clock::now();
  edge[slot] = startHost(url, "edge", o.heartbeatMs);
  r.rebalanced = watch.waitBalanced(liveHosts(edge, cloud), 60s);
  r.rebalance = seconds(Clock::now() - replacementStart);
  return r;
}

void printRound(size_t index, const Round& r) {
  fmt::print("{:>5}  {:<12} {:>10} {:>10}   {}\n", index + 1, r.killed.substr(0, 12),
             fmtSeconds(r.detection), fmtSeconds(r.recovery),
             r.rebalanced ? fmt::format("{:.2f} s", r.rebalance)
                          : fmt::format("NOT after {:.0f} s", r.rebalance));
  std::fflush(stdout);
}

void printSummary(const std::vector<Round>& rounds) {
  std::vector<double> detection, recovery, rebalance;
  for (const auto& r : rounds) {
    if (r.detection) detection.push_back(*r.detection);
    if (r.recovery) recovery.push_back(*r.recovery);
    if (r.rebalanced) rebalance.push_back(r.rebalance);
  }
  fmt::print("\n{:<24} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "", "median", "p95", "min", "max",
             "rounds");
  auto row = [](const char* name, const std::vector<double>& v, size_t of) {
    if (v.empty()) {
      fmt::print("{:<24} {:>8}\n", name, "none");
      return;
    }
    fmt::print("{:<24} {:>7.2f}s {:>7.2f}s {:>7.2f}s {:>7.2f}s {:>5}/{}\n", name, median(v),
               percentile(v, 0.95), *std::min_element(v.begin(), v.end()),
               *std::max_element(v.begin(), v.end()), v.size(), of);
  };
  row("detection", detection, rounds.size());
  row("recovery", recovery, rounds.size());
  row("rebalance (replacement)", rebalance, rounds.size());
  if (!recovery.empty()) {
    double m = median(recovery);
    fmt::print(
        "\nrecovery median {:.2f} s vs thesis {:.0f} s ({:.1f}x faster) and wadm ~{:.0f} s "
        "({:.1f}x faster)\n",
        m, kThesisSeconds, kThesisSeconds / m, kWadmSeconds, kWadmSeconds / m);
  }
}

// --- setup -------------------------------------------------------------------------------------

std::unique_ptr<lattice::NatsClient> connectClient(const std::string& url, const char* name) {
  auto client = lattice::NatsClient::connect({.url = url, .name = name});
  if (!client) die(client.error().message());
  return std::move(*client);
}

std::unique_ptr<lattice::JetStream> openJetStream(lattice::NatsClient& nats) {
  auto js = lattice::JetStream::open(nats);
  if (!js) die(js.error().message());
  return std::move(*js);
}

// Compiles upper_task.wasm into the AOT cache up front: four hosts compiling it at once on a busy
// machine answer the orchestrator's first scale requests late, and it sends them again.
void precompile(const std::string& wasm) {
  auto child = testing::ChildProcess::start({PELATO_BINARY, "compile", wasm});
  if (!child) die(child.error().message());
  if ((*child)->waitExit(300s) != 0)
    die("pelato compile " + wasm + " failed: " + (*child)->output());
}

// Puts and deploys the manifest; the orchestrator answers once it holds the leader lease.
void deploy(lattice::NatsClient& nats, const std::string& manifest) {
  lattice::WadmClient wadm(nats, kLattice);
  auto deadline = Clock::now() + 30s;
  while (true) {
    std::string error;
    if (auto put = wadm.put(manifest); !put)
      error = put.error().message();
    else if (auto deployed = wadm.deploy(kApp); !deployed)
      error = deployed.error().message();
    else
      return;
    if (Clock::now() > deadline) die("deploying " + std::string(kApp) + ": " + error);
    std::this_thread::sleep_for(500ms);
  }
}

int runBench(const Options& o) {
  auto wallStart = Clock::now();
  std::string wasm = (std::filesystem::path(o.guestDir) / "upper_task.wasm").string();
  if (!std::filesystem::exists(wasm)) die(wasm + " is missing: build the `guests` target");
  if (!std::filesystem::exists(PELATO_BINARY))
    die(std::string(PELATO_BINARY) + " is missing: build `pelato`");

  // One AOT cache for every host, so upper_task.wasm compiles once.
  bench::CacheDir cache("pelato-bench-failover");
  setenv("PELATO_CACHE_DIR", cache.path.c_str(), 1);
  auto server = testing::NatsServer::start();
  if (!server) die(server.error().message());
  std::string url = (*server)->url();

  fmt::print(
      "# pelato failover benchmark: SIGKILL of an edge host under an at-least-once stream\n");
  fmt::print("# nats-server on {}; {} hardware threads; load average at start {}\n", url,
             std::thread::hardware_concurrency(), loadAverage());
  fmt::print(
      "# {} kills, {} msg/s into {} (JetStream, Nats-Msg-Id), heartbeat {} ms (orchestrator "
      "defaults: "
      "probe after 1.5, dead after 3 missed), settle {} s\n",
      o.kills, o.rate, kIn, o.heartbeatMs, o.settleSeconds);

  auto control = connectClient(url, "bench-failover-control");
  auto producerConn = connectClient(url, "bench-failover-producer");
  auto readerConn = connectClient(url, "bench-failover-reader");
  auto producerJs = openJetStream(*producerConn);
  auto readerJs = openJetStream(*readerConn);
  // The streams the hosts would create when they apply the link (same names and options), made
  // now so the producer and reader do not wait for the first host.
  auto inStream = producerJs->streamFor(kLattice, kIn);
  auto outStream = readerJs->streamFor(kLattice, kOut);
  if (!inStream || !outStream) die("creating the streams of " + std::string(kIn) + " and " + kOut);
  LatticeWatch watch(*control, o.trace);

  if (o.precompile) precompile(wasm);
  auto orchestrator =
      testing::startOrchestrator(PELATO_BINARY, url, kLattice, {"--heartbeat-ms", std::to_string(o.heartbeatMs)});
  if (!orchestrator) die(orchestrator.error().message());
  std::vector<HostChild> edge, cloud;
  for (int i = 0; i < 2; ++i) edge.push_back(startHost(url, "edge", o.heartbeatMs));
  for (int i = 0; i < 2; ++i) cloud.push_back(startHost(url, "cloud", o.heartbeatMs));

  auto deployStart = Clock::now();
  deploy(*control, manifestText(wasm));
  if (!watch.waitBalanced(liveHosts(edge, cloud), 120s))
    die("fo-relay is not running 1 instance on each host after 120 s");
  fmt::print(
      "# deployed: one instance on each of 2 edge + 2 cloud hosts {:.2f} s after the deploy "
      "request{}\n",
      seconds(Clock::now() - deployStart), o.precompile ? "" : " (AOT compile included)");

  if (o.quietWait && !watch.waitQuiet(3s, 30s))
    fmt::print("# the orchestrator kept sending scale requests after the deploy\n");

  Reader reader(*readerJs, *outStream);
  bench::PacedProducer producer(*producerJs, kIn, o.rate, [](uint64_t n) { return fmt::format("in-{}", n); },
                                [](uint64_t n) { return fmt::format("msg-{}", n); });
  producer.start();
  if (!reader.waitDistinct(1, 30s)) die("nothing reaches " + std::string(kOut));
  std::this_thread::sleep_for(std::chrono::duration<double>(o.settleSeconds));

  fmt::print("\n{:>5}  {:<12} {:>10} {:>10}   {}\n", "round", "killed host", "detection",
             "recovery", "rebalanced after the replacement started");
  std::vector<Round> rounds;
  size_t quietScales = 0;  // scale requests with nothing to fix: there should be none
  size_t crashes = 0;
  for (uint32_t i = 0; i < o.kills; ++i) {
    size_t before = watch.scaleRequests();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.settleSeconds));
    quietScales += watch.scaleRequests() - before;
    crashes += replaceCrashedHosts(watch, edge, cloud, url, o);
    rounds.push_back(killRound(watch, edge, cloud, i % 2, url, o));
    printRound(i, rounds.back());
  }

  crashes += replaceCrashedHosts(watch, edge, cloud, url, o);
  producer.stop(30s);
  uint64_t published = producer.acknowledged();
  bool caughtUp = reader.waitDistinct(published, 30s);
  std::this_thread::sleep_for(3s);  // a redelivery still on its way would show up as a duplicate
  uint64_t distinct = reader.distinct(), lost = published > distinct ? published - distinct : 0;

  printSummary(rounds);
  fmt::print(
      "\nmessages: {} sent, {} acknowledged by JetStream ({} resends), {} delivered (distinct), {} "
      "lost, "
      "{} duplicates{}{}\n",
      producer.sent(), published, producer.retries(), distinct, lost, reader.duplicates(),
      reader.malformed() ? fmt::format(", {} unreadable outputs", reader.malformed()) : "",
      caughtUp ? "" : " (the reader stopped making progress before it had them all)");
  fmt::print("# scale requests while nothing had failed (settle windows): {}\n", quietScales);
  fmt::print("# hosts that crashed by themselves (not killed by the bench): {}\n", crashes);
  fmt::print("# load average at the end {}; total wall time {:.1f} s\n", loadAverage(),
             seconds(Clock::now() - wallStart));

  producer.stop(0s);
  (*orchestrator)->stop(10s);  // first, or it re-places the instances of every host stopped below
  for (auto* group : {&edge, &cloud})
    for (auto& h : *group) h.process->stop(10s);
  bool allRecovered = std::all_of(rounds.begin(), rounds.end(),
                                  [](const Round& r) { return r.recovery.has_value(); });
  return lost > 0 ? 3 : !allRecovered ? 4 : crashes > 0 ? 5 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "pelato failover benchmark: SIGKILL an edge host under an at-least-once stream, time the "
      "orchestrator"};
  app.add_option("--kills", o.kills, "Rounds: edge hosts killed (one at a time)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  app.add_option("--rate", o.rate, "Messages per second into the at-least-once stream")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 100000.0));
  app.add_option("--heartbeat-ms", o.heartbeatMs,
                 "Heartbeat period of the hosts and the orchestrator")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t(10), uint64_t(60000)));
  app.add_option("--settle-s", o.settleSeconds, "Quiet time before each kill")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  app.add_flag("!--no-precompile", o.precompile,
               "Let the hosts compile upper_task.wasm at the deploy instead of compiling it first");
  app.add_flag(
      "!--no-quiet-wait", o.quietWait,
      "Start the stream as soon as every host runs its instance, without waiting 3 s for the "
      "orchestrator to stop sending scale requests");
  app.add_flag("--trace", o.trace, "Print every scale request and component_scaled event (stderr)");
  app.add_option("--guest-dir", o.guestDir, "Where upper_task.wasm is")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return runBench(o);
}
