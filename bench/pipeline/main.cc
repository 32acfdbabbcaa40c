// bench_pipeline: a pelato host relaying NATS messages through a trivial task component against
// a raw nats.c relay, in one run, on one freshly started nats-server (tests/support NatsServer,
// JetStream on, store in a temporary directory).
//
// Scenarios (each on subjects of its own, so no stream or queue group of one touches another):
//   relay       a child process (this binary, --internal-relay core): nats.c subscribe(in) →
//               publish(out), no wasm, no copy beyond nats.c's;
//   pelato xN   a real `pelato host` process (--tier aot by default) running upper_task.wasm
//               scaled to N instances, a messaging link subscriptions=in destination=out;
//   js-relay    at-least-once baseline: a child process (--internal-relay js): nats.c pull
//               consumer on the input stream, js_PublishAsync to the output stream with a
//               Nats-Msg-Id, ack after the stored acknowledgement, 256 messages a batch;
//   pelato ALO  the same link with delivery=at-least-once: inputs go in with JetStream publish,
//               outputs are read from the destination stream (an ordered consumer), so a
//               duplicate stored there would be seen.
// Each scenario runs two phases, the producer and the consumer in this process on their own
// connections:
//   throughput  M messages of P bytes, published as fast as a window of W messages in flight
//               (published - received) allows; msg/s = received / (last receive - first publish),
//               and the CPU time the relaying process (relay child, pelato host) spent per message;
//   latency     messages at a fixed rate R for S seconds in all (in `rounds` slices, interleaved
//               like the throughput rounds), the publish time (steady clock) in the payload;
//               p50/p99/max of receive - publish on the consumer over all slices. The producer
//               publishes on a send-asap connection here, so its own nats.c flusher adds no delay.
// Every message carries its phase and sequence number: the consumer counts what arrived, what
// arrived twice and what never did.
//
// Usage: bench_pipeline [--messages M] [--payload P] [--window W] [--rate R] [--seconds S]
//                       [--instances N] [--alo-messages M] [--alo-rate R] [--tier aot|auto|interp]
//                       [--no-alo] [--guest-dir DIR] [--pelato PATH]
#include <fmt/format.h>
#include <nats/nats.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lattice/events.h"
#include "lattice/messages.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"
#include "support/cache_dir.h"
#include "support/child_process.h"
#include "support/load_average.h"
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
using lattice::Json;

[[noreturn]] void die(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "bench_pipeline: %s\n", message.c_str());
  std::exit(1);
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

void check(natsStatus s, const std::string& what) {
  if (s != NATS_OK)
    die(fmt::format("{}: {} ({})", what, natsStatus_GetText(s), nats_GetLastError(nullptr)));
}

// `sendAsap`: every publish is written to the socket at once, instead of being buffered for
// nats.c's flusher thread (which gathers writes for about a millisecond).
natsConnection* connect(const std::string& url, const char* name, bool sendAsap = false) {
  natsOptions* opts = nullptr;
  check(natsOptions_Create(&opts), "natsOptions_Create");
  natsOptions_SetURL(opts, url.c_str());
  natsOptions_SetName(opts, name);
  natsOptions_SetMaxPendingMsgs(opts, 10'000'000);
  if (sendAsap) natsOptions_SetSendAsap(opts, true);
  natsConnection* nc = nullptr;
  check(natsConnection_Connect(&nc, opts), fmt::format("connecting to {}", url));
  natsOptions_Destroy(opts);
  return nc;
}

// --- payloads ------------------------------------------------------------------------------
// "m<phase:2><seq:10> t<publish ns:19> " then 'x' up to the payload size. upper_task upper-cases
// it and appends " #<calls>": digits and offsets survive.
constexpr size_t kHeaderBytes = 35;

void fillPayload(std::string& buffer, uint32_t phase, uint64_t seq, int64_t ts) {
  char head[64];
  std::snprintf(head, sizeof head, "m%02u%010" PRIu64 " t%019" PRId64 " ", phase % 100, seq, ts);
  std::memcpy(buffer.data(), head, kHeaderBytes);
}

bool parseDigits(const char* p, size_t n, uint64_t& out) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + static_cast<uint64_t>(p[i] - '0');
  }
  out = v;
  return true;
}

struct Parsed {
  uint32_t phase;
  uint64_t seq;
  int64_t ts;
};

std::optional<Parsed> parsePayload(const char* data, size_t len) {
  if (len < kHeaderBytes || (data[0] != 'm' && data[0] != 'M') ||
      (data[14] != 't' && data[14] != 'T'))
    return {};
  uint64_t phase, seq, ts;
  if (!parseDigits(data + 1, 2, phase) || !parseDigits(data + 3, 10, seq) ||
      !parseDigits(data + 15, 19, ts))
    return {};
  return Parsed{static_cast<uint32_t>(phase), seq, static_cast<int64_t>(ts)};
}

// --- the consumer ----------------------------------------------------------------------------

// What the consumer saw of one phase. Written by the subscription's one delivery thread only;
// the main thread reads `received` (atomics) while it runs and the rest once it has ended.
struct PhaseStats {
  uint32_t id = 0;
  uint64_t count = 0;
  std::vector<uint8_t> seen;
  std::vector<int64_t> latencyNs;  // by sequence; -1 until received
  std::atomic<uint64_t> received{0}, duplicates{0};
  std::atomic<int64_t> lastReceiveNs{0};

  PhaseStats(uint32_t id, uint64_t count)
      : id(id), count(count), seen(count, 0), latencyNs(count, -1) {}
};

// One subscription on a scenario's output subject (core NATS, or an ordered JetStream consumer).
class Consumer {
 public:
  ~Consumer() {
    if (sub_) {
      natsSubscription_Unsubscribe(sub_);
      natsSubscription_Destroy(sub_);
    }
  }

  // Core subscription.
  void subscribe(natsConnection* nc, const std::string& subject) {
    check(natsConnection_Subscribe(&sub_, nc, subject.c_str(), &Consumer::onMessage, this),
          "subscribe " + subject);
    natsSubscription_SetPendingLimits(sub_, -1, -1);
    check(natsConnection_FlushTimeout(nc, 5000), "flush");
  }
  // An ordered consumer reading the stream that captures `subject` from its start; false while
  // no stream captures it yet.
  bool subscribeStream(jsCtx* js, const std::string& subject) {
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Ordered = true;
    jsErrCode code{};
    natsStatus s =
        js_Subscribe(&sub_, js, subject.c_str(), &Consumer::onMessage, this, nullptr, &so, &code);
    if (s != NATS_OK) {
      sub_ = nullptr;
      return false;
    }
    natsSubscription_SetPendingLimits(sub_, -1, -1);
    return true;
  }

  void setPhase(PhaseStats* phase) { phase_.store(phase); }
  uint64_t others() const { return others_.load(); }  // probes, replies, stale phases
  uint64_t stale() const { return stale_.load(); }

 private:
  static void onMessage(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    auto* self = static_cast<Consumer*>(closure);
    int64_t now = nowNs();
    auto parsed =
        parsePayload(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
    PhaseStats* phase = self->phase_.load();
    if (!parsed) {
      self->others_.fetch_add(1);
    } else if (!phase || parsed->phase != phase->id % 100 || parsed->seq >= phase->count) {
      self->stale_.fetch_add(1);
    } else if (phase->seen[parsed->seq]) {
      phase->duplicates.fetch_add(1);
    } else {
      phase->seen[parsed->seq] = 1;
      phase->latencyNs[parsed->seq] = now - parsed->ts;
      phase->lastReceiveNs.store(now);
      phase->received.fetch_add(1, std::memory_order_release);
    }
    natsMsg_Destroy(msg);
  }

  natsSubscription* sub_ = nullptr;
  std::atomic<PhaseStats*> phase_{nullptr};
  std::atomic<uint64_t> others_{0}, stale_{0};
};

// --- the producer ----------------------------------------------------------------------------

// Core NATS publish, or JetStream async publish (the stream's acks come back asynchronously;
// at most `window` unacknowledged publishes, then js_PublishAsync stalls).
class Producer {
 public:
  Producer(natsConnection* nc, std::string subject, bool jetstream, int64_t window)
      : nc_(nc), subject_(std::move(subject)) {
    if (!jetstream) return;
    jsOptions o;
    jsOptions_Init(&o);
    o.PublishAsync.MaxPending = window;
    o.PublishAsync.StallWait = 5000;
    o.PublishAsync.ErrHandler = &Producer::onError;
    o.PublishAsync.ErrHandlerClosure = this;
    check(natsConnection_JetStream(&js_, nc, &o), "JetStream context");
  }
  ~Producer() {
    if (js_) jsCtx_Destroy(js_);
  }

  void publish(const std::string& data) {
    natsStatus s = js_ ? js_PublishAsync(js_, subject_.c_str(), data.data(),
                                         static_cast<int>(data.size()), nullptr)
                       : natsConnection_Publish(nc_, subject_.c_str(), data.data(),
                                                static_cast<int>(data.size()));
    if (s != NATS_OK) failures_.fetch_add(1);
  }
  void flush() {
    if (js_) {
      jsPubOptions o;
      jsPubOptions_Init(&o);
      o.MaxWait = 30000;
      if (js_PublishAsyncComplete(js_, &o) != NATS_OK) failures_.fetch_add(1);
    } else {
      (void)natsConnection_FlushTimeout(nc_, 30000);
    }
  }
  uint64_t failures() const { return failures_.load(); }

 private:
  static void onError(jsCtx*, jsPubAckErr* err, void* closure) {
    static_cast<Producer*>(closure)->failures_.fetch_add(1);
    (void)err;  // nats.c destroys the message
  }

  natsConnection* nc_;
  std::string subject_;
  jsCtx* js_ = nullptr;
  std::atomic<uint64_t> failures_{0};
};

// --- phases ----------------------------------------------------------------------------------

struct PhaseResult {
  uint64_t sent = 0, received = 0, duplicates = 0, publishFailures = 0;
  double seconds = 0;    // first publish → last receive
  double msgPerSec = 0;  // received / seconds
  double p50Us = 0, p99Us = 0, maxUs = 0;
  double achievedRate = 0;  // latency phase: what the producer managed
  uint64_t lost() const { return sent - received; }
};

double percentile(std::vector<int64_t>& v, double p) {
  if (v.empty()) return 0;
  size_t idx =
      std::min(v.size() - 1, static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())) - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(idx), v.end());
  return static_cast<double>(v[idx]) / 1000.0;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Waits until every message arrived, or nothing arrived for `quiet`.
void drain(PhaseStats& stats, std::chrono::milliseconds quiet) {
  uint64_t last = stats.received.load();
  auto lastProgress = Clock::now();
  while (stats.received.load() < stats.count) {
    std::this_thread::sleep_for(1ms);
    uint64_t now = stats.received.load();
    if (now != last) {
      last = now;
      lastProgress = Clock::now();
    } else if (Clock::now() - lastProgress > quiet) {
      break;
    }
  }
  std::this_thread::sleep_for(50ms);  // duplicates right behind the last message
}

PhaseResult finish(PhaseStats& stats, int64_t startNs, uint64_t failures) {
  PhaseResult r;
  r.sent = stats.count;
  r.received = stats.received.load(std::memory_order_acquire);
  r.duplicates = stats.duplicates.load();
  r.publishFailures = failures;
  r.seconds = static_cast<double>(stats.lastReceiveNs.load() - startNs) / 1e9;
  r.msgPerSec = r.seconds > 0 ? static_cast<double>(r.received) / r.seconds : 0;
  std::vector<int64_t> lat;
  lat.reserve(r.received);
  for (int64_t l : stats.latencyNs)
    if (l >= 0) lat.push_back(l);
  r.p50Us = percentile(lat, 0.50);
  r.p99Us = percentile(lat, 0.99);
  r.maxUs =
      lat.empty() ? 0 : static_cast<double>(*std::max_element(lat.begin(), lat.end())) / 1000.0;
  return r;
}

uint32_t nextPhaseId = 1;

PhaseResult throughputPhase(Producer& producer, Consumer& consumer, uint64_t messages,
                            size_t payload, uint64_t window) {
  PhaseStats stats(nextPhaseId++, messages);
  consumer.setPhase(&stats);
  std::string buffer(payload, 'x');
  uint64_t before = producer.failures();
  int64_t start = nowNs();
  auto lastProgress = Clock::now();
  uint64_t lastReceived = 0;
  for (uint64_t i = 0; i < messages; ++i) {
    while (i - stats.received.load(std::memory_order_relaxed) >= window) {
      uint64_t got = stats.received.load(std::memory_order_relaxed);
      if (got != lastReceived) {
        lastReceived = got;
        lastProgress = Clock::now();
      } else if (Clock::now() - lastProgress > 5s) {
        break;  // messages were lost: stop waiting for them
      }
      std::this_thread::sleep_for(20us);
    }
    fillPayload(buffer, stats.id, i, nowNs());
    producer.publish(buffer);
  }
  producer.flush();
  drain(stats, 5s);
  consumer.setPhase(nullptr);
  return finish(stats, start, producer.failures() - before);
}

// Appends the latencies received (ns) to `samples`.
PhaseResult latencyPhase(Producer& producer, Consumer& consumer, double rate, double seconds,
                         size_t payload, std::vector<int64_t>& samples) {
  uint64_t messages = std::max<uint64_t>(1, static_cast<uint64_t>(rate * seconds));
  PhaseStats stats(nextPhaseId++, messages);
  consumer.setPhase(&stats);
  std::string buffer(payload, 'x');
  uint64_t before = producer.failures();
  auto start = Clock::now();
  int64_t startNs = nowNs();
  for (uint64_t i = 0; i < messages; ++i) {
    auto due =
        start + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(i) * 1e9 / rate));
    std::this_thread::sleep_until(due);
    fillPayload(buffer, stats.id, i, nowNs());
    producer.publish(buffer);
  }
  double publishSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  producer.flush();
  drain(stats, 5s);
  consumer.setPhase(nullptr);
  PhaseResult r = finish(stats, startNs, producer.failures() - before);
  r.achievedRate = static_cast<double>(messages) / publishSeconds;
  for (int64_t l : stats.latencyNs)
    if (l >= 0) samples.push_back(l);
  return r;
}

// --- the relays (child processes) ------------------------------------------------------------

void coreRelayMessage(natsConnection* nc, natsSubscription*, natsMsg* msg, void* closure) {
  auto* out = static_cast<const std::string*>(closure);
  natsConnection_Publish(nc, out->c_str(), natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
  natsMsg_Destroy(msg);
}

// `--internal-relay core URL IN OUT`: subscribe(in) → publish(out), until killed.
// `--internal-relay js URL IN OUT`: a pull consumer on the stream capturing IN; each batch (what
// is pending, up to 256) is published to OUT with JetStream (Nats-Msg-Id from the input's stream
// sequence) and acked once every publish of the batch is stored.
int runRelay(const std::string& kind, const std::string& url, const std::string& in,
             const std::string& out) {
  // An experiment knob, off in every recorded run: PIPELINE_RELAY_SEND_ASAP=1.
  const char* asap = std::getenv("PIPELINE_RELAY_SEND_ASAP");
  natsConnection* nc = connect(url, "bench-relay", asap && std::string_view(asap) == "1");
  if (kind == "core") {
    natsSubscription* sub = nullptr;
    check(natsConnection_Subscribe(&sub, nc, in.c_str(), coreRelayMessage,
                                   const_cast<std::string*>(&out)),
          "subscribe");
    natsSubscription_SetPendingLimits(sub, -1, -1);
    check(natsConnection_FlushTimeout(nc, 5000), "flush");
    std::printf("ready\n");
    std::fflush(stdout);
    while (true) pause();
  }
  jsOptions o;
  jsOptions_Init(&o);
  o.PublishAsync.MaxPending = 4096;
  jsCtx* js = nullptr;
  check(natsConnection_JetStream(&js, nc, &o), "JetStream");
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Config.AckPolicy = js_AckExplicit;
  so.Config.MaxAckPending = 1024;
  so.Config.AckWait = int64_t{30} * 1'000'000'000;
  natsSubscription* sub = nullptr;
  jsErrCode code{};
  check(js_PullSubscribe(&sub, js, in.c_str(), "relay", nullptr, &so, &code), "pull subscribe");
  std::printf("ready\n");
  std::fflush(stdout);
  std::string id;
  while (true) {
    // What is pending, up to 256, without waiting; when nothing is, wait for the next one only
    // (natsSubscription_Fetch(N) waits until N messages arrived or the request expired).
    natsMsgList list{};
    jsFetchRequest req;
    jsFetchRequest_Init(&req);
    req.Batch = 256;
    req.NoWait = true;
    req.Expires = int64_t{1000} * 1'000'000;  // how long nats.c waits for the server's answer
    natsStatus s = natsSubscription_FetchRequest(&list, sub, &req);
    if (s != NATS_OK || list.Count == 0) {
      natsMsgList_Destroy(&list);
      s = natsSubscription_Fetch(&list, sub, 1, 500, &code);
    }
    if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND) continue;
    check(s, "fetch");
    for (int i = 0; i < list.Count; ++i) {
      natsMsg* msg = list.Msgs[i];
      jsMsgMetaData* meta = nullptr;
      uint64_t seq = 0;
      if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
        seq = meta->Sequence.Stream;
        jsMsgMetaData_Destroy(meta);
      }
      id = fmt::format("relay:{}", seq);
      jsPubOptions po;
      jsPubOptions_Init(&po);
      po.MsgId = id.c_str();
      check(js_PublishAsync(js, out.c_str(), natsMsg_GetData(msg), natsMsg_GetDataLength(msg), &po),
            "publish");
    }
    // Out now (not after the flusher's delay), then wait for every stored acknowledgement.
    check(natsConnection_FlushTimeout(nc, 30000), "flush");
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 30000;
    check(js_PublishAsyncComplete(js, &po), "publish complete");
    for (int i = 0; i < list.Count; ++i) natsMsg_Ack(list.Msgs[i], nullptr);
    natsMsgList_Destroy(&list);
  }
}

// --- the lattice (control interface of the pelato host) -------------------------------------

class Events {
 public:
  lattice::NatsClient::Handler handler() {
    return [this](lattice::NatsMessage m) {
      auto json = lattice::parseJson(m.data);
      if (!json) return;
      auto event = lattice::CloudEvent::fromJson(*json);
      if (!event) return;
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(*event));
      changed_.notify_all();
    };
  }
  // The first event of `type` about `componentId` after `from` events; its data.
  std::optional<Json> waitFor(size_t& from, std::string_view type, const std::string& componentId,
                              std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<Json> found;
    changed_.wait_for(lock, timeout, [&] {
      for (; from < events_.size(); ++from)
        if (events_[from].latticeType() == type &&
            events_[from].data.value("component_id", "") == componentId) {
          found = events_[from].data;
          ++from;
          return true;
        }
      return false;
    });
    return found;
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<lattice::CloudEvent> events_;
};

lattice::CtlReply ctlReply(const Result<lattice::NatsMessage>& message, const std::string& what) {
  if (!message) die(fmt::format("{}: {}", what, message.error().message()));
  auto json = lattice::parseJson(message->data);
  if (!json) die(fmt::format("{}: bad reply {}", what, message->data));
  auto reply = lattice::CtlReply::fromJson(*json);
  if (!reply) die(fmt::format("{}: bad reply {}", what, message->data));
  if (!reply->success) die(fmt::format("{}: {}", what, reply->message));
  return *reply;
}

struct Lattice {
  lattice::NatsClient& nats;
  lattice::Subjects subjects;
  std::string hostId;
  Events& events;

  // Scales `id` to `count` instances and waits for component_scaled; seconds it took.
  double scale(const std::string& id, const std::string& wasm, uint32_t count) {
    size_t from = events.size();
    auto start = Clock::now();
    lattice::ScaleComponentCommand c{.componentRef = "file://" + wasm,
                                     .componentId = id,
                                     .hostId = hostId,
                                     .maxInstances = count};
    ctlReply(nats.request(*subjects.componentScale(hostId), lattice::dumpJson(c.toJson()), 10s),
             "scale " + id);
    size_t failedFrom = from;
    if (!events.waitFor(from, lattice::event_type::kComponentScaled, id, 120s)) {
      auto failed =
          events.waitFor(failedFrom, lattice::event_type::kComponentScaleFailed, id, 10ms);
      die(fmt::format("scaling {}: {}", id,
                      failed ? failed->dump() : std::string("no component_scaled event")));
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  }
  void link(const std::string& id, const std::string& in, const std::string& out,
            bool atLeastOnce) {
    lattice::Link l{.sourceId = id,
                    .target = "nats",
                    .witNamespace = "wasmcloud",
                    .witPackage = "messaging",
                    .interfaces = {"consumer"},
                    .sourceConfig = {"subscriptions=" + in, "destination=" + out}};
    if (atLeastOnce) l.sourceConfig.push_back("delivery=at-least-once");
    ctlReply(nats.request(subjects.linkPut(), lattice::dumpJson(l.toJson()), 10s),
             "link put " + id);
  }
};

// --- scenarios -------------------------------------------------------------------------------

struct Options {
  uint64_t messages = 100'000;
  size_t payload = 64;
  uint64_t window = 10'000;
  double rate = 5000;
  double seconds = 2;
  uint32_t instances = 2;
  uint32_t rounds = 5;
  uint64_t aloMessages = 20'000;
  uint32_t aloRounds = 1;
  double aloRate = 1000;
  std::string tier = "aot";
  bool noAlo = false;
  std::string guestDir = PELATO_GUEST_DIR;
  std::string pelato = PELATO_BINARY;  // the host binary (another build, for A/B runs)
};

struct Row {
  std::string name;
  PhaseResult throughput, latency;
  uint64_t stale = 0;
  double cpuUsPerMsg = 0;     // CPU time of the relaying process per message (throughput phase)
  double switchesPerMsg = 0;  // its threads' context switches per message (throughput phase)
};

// CPU time (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks).
double cpuSeconds(pid_t pid) {
  FILE* f = std::fopen(fmt::format("/proc/{}/stat", pid).c_str(), "r");
  if (!f) return 0;
  char buf[1024] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string_view stat(buf, n);
  size_t pos = stat.rfind(')');  // the command may hold spaces; fields 3.. follow it
  if (pos == std::string_view::npos) return 0;
  unsigned long utime = 0, stime = 0;
  if (std::sscanf(buf + pos + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                  &stime) != 2)
    return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Context switches (voluntary + involuntary) of all a process's threads so far.
uint64_t contextSwitches(pid_t pid) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid), ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    FILE* f = std::fopen((it->path() / "status").c_str(), "r");
    if (!f) continue;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      unsigned long long n = 0;
      if (std::sscanf(line, "voluntary_ctxt_switches: %llu", &n) == 1 ||
          std::sscanf(line, "nonvoluntary_ctxt_switches: %llu", &n) == 1)
        total += n;
    }
    std::fclose(f);
  }
  return total;
}

// One relay under test (the relay child, or a pelato component) and its consumer. The
// throughput phase runs `rounds` times, interleaved with the other scenarios of the same
// delivery mode (so that a change in the machine's load hits them all alike); the table shows
// the median round. It publishes on `pubConn` (buffered, like any nats.c client); the latency
// phase on `latConn` (send-asap), so that the producer's own flusher adds nothing to latencies.
struct Scenario {
  std::string name, in;
  bool jetstream = false;
  pid_t pid = -1;  // the relaying process (relay child or pelato host), for its CPU time
  Consumer consumer;
  std::vector<PhaseResult> rounds;
  std::vector<double> cpuUsPerMsg, switchesPerMsg;
  PhaseResult latency;

  void throughputRound(natsConnection* pubConn, uint64_t messages, const Options& o) {
    Producer producer(pubConn, in, jetstream, static_cast<int64_t>(o.window));
    double cpuBefore = cpuSeconds(pid);
    uint64_t switchesBefore = contextSwitches(pid);
    rounds.push_back(throughputPhase(producer, consumer, messages, o.payload, o.window));
    double cpu = cpuSeconds(pid) - cpuBefore;
    double switches = static_cast<double>(contextSwitches(pid) - switchesBefore);
    if (double received = static_cast<double>(rounds.back().received); received > 0) {
      cpuUsPerMsg.push_back(cpu * 1e6 / received);
      switchesPerMsg.push_back(switches / received);
    }
  }
  // One of `rounds` slices of the latency phase; the percentiles are over all of them.
  void latencyRound(natsConnection* latConn, double rate, const Options& o, uint32_t rounds) {
    Producer producer(latConn, in, jetstream, static_cast<int64_t>(o.window));
    PhaseResult r =
        latencyPhase(producer, consumer, rate, o.seconds / rounds, o.payload, latencySamples);
    latency.sent += r.sent;
    latency.received += r.received;
    latency.duplicates += r.duplicates;
    latency.publishFailures += r.publishFailures;
    rates.push_back(r.achievedRate);
    latency.achievedRate = median(rates);
    latency.p50Us = percentile(latencySamples, 0.50);
    latency.p99Us = percentile(latencySamples, 0.99);
    latency.maxUs =
        latencySamples.empty()
            ? 0
            : static_cast<double>(*std::max_element(latencySamples.begin(), latencySamples.end())) /
                  1e3;
  }
  std::vector<int64_t> latencySamples;
  std::vector<double> rates;

  Row row() const {
    Row r{.name = name, .latency = latency, .stale = consumer.stale()};
    std::vector<double> rates, seconds;
    for (const auto& round : rounds) {
      r.throughput.sent += round.sent;
      r.throughput.received += round.received;
      r.throughput.duplicates += round.duplicates;
      r.throughput.publishFailures += round.publishFailures;
      rates.push_back(round.msgPerSec);
      seconds.push_back(round.seconds);
    }
    r.throughput.msgPerSec = median(rates);
    r.throughput.seconds = median(seconds);
    r.cpuUsPerMsg = median(cpuUsPerMsg);
    r.switchesPerMsg = median(switchesPerMsg);
    return r;
  }
};

// Publishes probes until one comes out of `out` through whatever relays `in`.
void waitUntilFlowing(natsConnection* pubConn, jsCtx* js, const std::string& in, Consumer& consumer,
                      const std::string& what) {
  auto deadline = Clock::now() + 60s;
  uint64_t before = consumer.others();
  while (Clock::now() < deadline) {
    if (js) {
      jsErrCode code{};
      jsPubOptions po;
      jsPubOptions_Init(&po);
      po.MaxWait = 1000;
      (void)js_Publish(nullptr, js, in.c_str(), "probe", 5, &po, &code);
    } else {
      natsConnection_PublishString(pubConn, in.c_str(), "probe");
      natsConnection_FlushTimeout(pubConn, 1000);
    }
    for (int i = 0; i < 20 && consumer.others() == before; ++i) std::this_thread::sleep_for(10ms);
    if (consumer.others() > before) {
      std::this_thread::sleep_for(100ms);
      return;
    }
  }
  die(what + ": no output within 60 s");
}

jsCtx* jetStream(natsConnection* nc) {
  jsCtx* js = nullptr;
  check(natsConnection_JetStream(&js, nc, nullptr), "JetStream");
  return js;
}

void addStream(jsCtx* js, const std::string& name, const std::string& subject) {
  jsStreamConfig c;
  jsStreamConfig_Init(&c);
  const char* subjects[] = {subject.c_str()};
  c.Name = name.c_str();
  c.Subjects = subjects;
  c.SubjectsLen = 1;
  c.Storage = js_FileStorage;
  c.Duplicates = int64_t{120} * 1'000'000'000;
  jsErrCode code{};
  check(js_AddStream(nullptr, js, &c, nullptr, &code), "add stream " + name);
}

// An ordered consumer on the stream capturing `out` (retrying until the stream exists).
void subscribeStream(Consumer& consumer, jsCtx* js, const std::string& out) {
  auto deadline = Clock::now() + 60s;
  while (!consumer.subscribeStream(js, out)) {
    if (Clock::now() > deadline) die("no stream captures " + out + " after 60 s");
    std::this_thread::sleep_for(20ms);
  }
}

std::string fmtRate(double v) {
  return v >= 1e4 ? fmt::format("{:.0f}k", v / 1e3) : fmt::format("{:.0f}", v);
}
std::string fmtUs(double us) {
  return us >= 10'000 ? fmt::format("{:.1f} ms", us / 1000) : fmt::format("{:.0f} us", us);
}

void printRow(const Row& r) {
  auto check = [](const PhaseResult& p) {
    std::string s = p.lost() == 0 ? "all" : fmt::format("LOST {}", p.lost());
    if (p.duplicates) s += fmt::format(" DUP {}", p.duplicates);
    if (p.publishFailures) s += fmt::format(" PUBFAIL {}", p.publishFailures);
    return s;
  };
  fmt::print("{:<22} {:>8} {:>9} {:>7} {:>8} {:>6} | {:>6} {:>6} {:>8} {:>8} {:>8} | {} / {}\n",
             r.name, r.throughput.sent, fmtRate(r.throughput.msgPerSec),
             fmt::format("{:.2f}s", r.throughput.seconds), fmt::format("{:.1f} us", r.cpuUsPerMsg),
             fmt::format("{:.2f}", r.switchesPerMsg), r.latency.sent,
             fmtRate(r.latency.achievedRate), fmtUs(r.latency.p50Us), fmtUs(r.latency.p99Us),
             fmtUs(r.latency.maxUs), check(r.throughput), check(r.latency));
  std::fflush(stdout);
}

int runBench(const Options& o) {
  auto wallStart = Clock::now();
  std::string wasm = (std::filesystem::path(o.guestDir) / "upper_task.wasm").string();
  if (!std::filesystem::exists(wasm)) die(wasm + " is missing: build the `guests` target");
  if (!std::filesystem::exists(o.pelato)) die(o.pelato + " is missing: build `pelato`");
  if (o.payload < kHeaderBytes + 1)
    die(fmt::format("--payload must be at least {}", kHeaderBytes + 1));

  bench::CacheDir cache("pelato-bench-pipeline");
  setenv("PELATO_CACHE_DIR", cache.path.c_str(), 1);

  auto server = testing::NatsServer::start();
  if (!server) die(server.error().message());
  std::string url = (*server)->url();
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) die("readlink /proc/self/exe");
  self[n] = 0;

  fmt::print(
      "# pelato pipeline benchmark: raw nats.c relay vs `pelato host` running upper_task.wasm "
      "(tier {})\n",
      o.tier);
  std::string version = "nats-server";
  if (auto binary = testing::NatsServer::findBinary())
    if (FILE* p = popen((binary->string() + " --version").c_str(), "r")) {
      char buf[128] = {};
      if (std::fgets(buf, sizeof buf, p)) version = std::string(buf, std::strcspn(buf, "\n"));
      pclose(p);
    }
  fmt::print("# {} on {} (JetStream, file store in a temporary directory); {} hardware threads\n",
             version, url, std::thread::hardware_concurrency());
  fmt::print(
      "# throughput: {} rounds x {} messages ({} x {} at-least-once) of {} bytes, at most {} in "
      "flight;\n"
      "# latency: {} msg/s ({} at-least-once) for {} s, publish -> receive on the output subject\n",
      o.rounds, o.messages, o.aloRounds, o.aloMessages, o.payload, o.window, o.rate, o.aloRate,
      o.seconds);
  fmt::print("# AOT cache {}{}; load average at start {}\n", cache.path.string(),
             cache.temporary ? " (temporary, fresh)" : "", loadAverage());

  natsConnection* pubConn = connect(url, "bench-producer");
  natsConnection* latConn = connect(url, "bench-latency-producer", true);
  natsConnection* subConn = connect(url, "bench-consumer");
  jsCtx* subJs = jetStream(subConn);
  jsCtx* pubJs = jetStream(pubConn);

  // The pelato host and the control connection.
  auto host = testing::ChildProcess::start({o.pelato, "host", "--nats", url, "--lattice",
                                            "pipe", "--tier", o.tier, "--heartbeat-ms", "1000",
                                            "--http-port", "-1", "--allow-unsigned"});
  if (!host) die(host.error().message());
  if (!(*host)->waitForOutput("started on lattice", 20s))
    die("pelato host did not start: " + (*host)->output());
  std::string line = (*host)->output();
  std::string hostId = line.substr(5, line.find(' ', 5) - 5);
  auto control = lattice::NatsClient::connect({.url = url, .name = "bench-control"});
  if (!control) die(control.error().message());
  Events events;
  auto subjects = *lattice::Subjects::create("pipe");
  auto eventSub = (*control)->subscribe(subjects.eventWildcard(), events.handler());
  if (!eventSub || !(*control)->flush()) die("subscribing to events");
  Lattice lat{**control, subjects, hostId, events};
  fmt::print("# pelato host {} ({})\n\n", hostId, o.pelato);

  fmt::print(
      "# throughput phase (median round): msg/s = received / (last receive - first publish); "
      "cpu/msg = CPU time\n"
      "# (user+sys) of the relaying process (relay child or pelato host) per message, cs/msg = its "
      "threads' context\n"
      "# switches per message. latency phase: fixed rate, p50/p99/max of publish -> receive; msgs "
      "columns: all\n"
      "# rounds.\n"
      "# arrived: 'all' = every message once, else LOST n / DUP n.\n\n");
  std::vector<Row> rows;
  fmt::print("{:<22} {:>8} {:>9} {:>7} {:>8} {:>6} | {:>6} {:>6} {:>8} {:>8} {:>8} | {}\n",
             "scenario", "msgs", "msg/s", "time", "cpu/msg", "cs/msg", "msgs", "rate", "p50", "p99",
             "max", "arrived (thru / latency)");
  fmt::print("{}\n", std::string(132, '-'));

  auto relayChild = [&](const std::string& kind, const std::string& in, const std::string& out) {
    auto child = testing::ChildProcess::start({self, "--internal-relay", kind, url, in, out});
    if (!child) die(child.error().message());
    if (!(*child)->waitForOutput("ready", 20s)) die("relay did not start");
    return std::move(*child);
  };

  std::vector<uint32_t> counts{1};
  if (o.instances != 1) counts.push_back(o.instances);
  std::vector<double> scaleSeconds;
  std::vector<std::string> roundLines;
  // Runs every scenario of one delivery mode: the throughput rounds interleaved, then the
  // latency phases; prints their rows.
  auto measure = [&](std::vector<std::unique_ptr<Scenario>>& scenarios, uint64_t messages,
                     uint32_t rounds, double rate) {
    for (uint32_t round = 0; round < rounds; ++round)
      for (auto& scenario : scenarios) scenario->throughputRound(pubConn, messages, o);
    for (uint32_t round = 0; round < o.rounds; ++round)
      for (auto& scenario : scenarios) scenario->latencyRound(latConn, rate, o, o.rounds);
    for (auto& scenario : scenarios) {
      rows.push_back(scenario->row());
      printRow(rows.back());
    }
    if (rounds > 1)
      for (auto& scenario : scenarios) {
        std::string each;
        for (const auto& round : scenario->rounds) each += " " + fmtRate(round.msgPerSec);
        roundLines.push_back(fmt::format("# {:<22} msg/s by round:{}", scenario->name, each));
      }
  };

  // at-most-once: the raw relay, and pelato with 1 and N instances (components amo<N>).
  {
    std::vector<std::unique_ptr<Scenario>> scenarios;
    auto relay = relayChild("core", "relay.in", "relay.out");
    auto& r = *scenarios.emplace_back(
        new Scenario{.name = "relay (nats.c)", .in = "relay.in", .pid = relay->pid()});
    r.consumer.subscribe(subConn, "relay.out");
    waitUntilFlowing(pubConn, nullptr, r.in, r.consumer, "relay");
    for (uint32_t count : counts) {
      std::string id = fmt::format("amo{}", count), out = "pipe." + id + ".out";
      auto& p = *scenarios.emplace_back(new Scenario{.name = fmt::format("pelato x{}", count),
                                                     .in = "pipe." + id + ".in",
                                                     .pid = (*host)->pid()});
      scaleSeconds.push_back(lat.scale(id, wasm, count));
      lat.link(id, p.in, out, false);
      p.consumer.subscribe(subConn, out);
      waitUntilFlowing(pubConn, nullptr, p.in, p.consumer, id);
    }
    measure(scenarios, o.messages, o.rounds, o.rate);
    for (uint32_t count : counts) lat.scale(fmt::format("amo{}", count), wasm, 0);
  }

  // at-least-once: the JetStream relay, and pelato with 1 and N instances (components alo<N>).
  if (!o.noAlo) {
    std::vector<std::unique_ptr<Scenario>> scenarios;
    addStream(subJs, "RELAY_IN", "relay.alo.in");
    addStream(subJs, "RELAY_OUT", "relay.alo.out");
    auto relay = relayChild("js", "relay.alo.in", "relay.alo.out");
    auto& r = *scenarios.emplace_back(new Scenario{.name = "js-relay (nats.c) ALO",
                                                   .in = "relay.alo.in",
                                                   .jetstream = true,
                                                   .pid = relay->pid()});
    subscribeStream(r.consumer, subJs, "relay.alo.out");
    waitUntilFlowing(pubConn, pubJs, r.in, r.consumer, "js relay");
    for (uint32_t count : counts) {
      std::string id = fmt::format("alo{}", count), out = "pipe." + id + ".out";
      auto& p = *scenarios.emplace_back(new Scenario{.name = fmt::format("pelato x{} ALO", count),
                                                     .in = "pipe." + id + ".in",
                                                     .jetstream = true,
                                                     .pid = (*host)->pid()});
      lat.scale(id, wasm, count);
      lat.link(id, p.in, out, true);
      // The host creates both streams when it applies the link, the input's first.
      auto deadline = Clock::now() + 60s;
      while (true) {
        jsErrCode code{};
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = 1000;
        if (js_Publish(nullptr, pubJs, p.in.c_str(), "probe", 5, &po, &code) == NATS_OK) break;
        if (Clock::now() > deadline) die("no stream captures " + p.in + " after 60 s");
        std::this_thread::sleep_for(20ms);
      }
      subscribeStream(p.consumer, subJs, out);
      waitUntilFlowing(pubConn, pubJs, p.in, p.consumer, id);
    }
    measure(scenarios, o.aloMessages, o.aloRounds, o.aloRate);
    for (uint32_t count : counts) lat.scale(fmt::format("alo{}", count), wasm, 0);
  }

  // Ratios against the relay of the same delivery mode.
  fmt::print(
      "\n# ratios pelato / relay (targets, at-most-once: throughput >= 0.80, p99 <= 2.00x)\n");
  auto ratios = [&](const Row& base, const Row& r, bool targets) {
    double t =
        base.throughput.msgPerSec > 0 ? r.throughput.msgPerSec / base.throughput.msgPerSec : 0;
    double p = base.latency.p99Us > 0 ? r.latency.p99Us / base.latency.p99Us : 0;
    double p50 = base.latency.p50Us > 0 ? r.latency.p50Us / base.latency.p50Us : 0;
    fmt::print("{:<22} throughput {:.3f}{}   p50 {:.2f}x   p99 {:.2f}x{}\n", r.name, t,
               targets ? (t >= 0.8 ? " (met)" : " (MISSED)") : "", p50, p,
               targets ? (p <= 2.0 ? " (met)" : " (MISSED)") : "");
  };
  for (size_t i = 1; i <= counts.size(); ++i) ratios(rows[0], rows[i], true);
  if (!o.noAlo)
    for (size_t i = counts.size() + 2; i < rows.size(); ++i)
      ratios(rows[counts.size() + 1], rows[i], false);
  fmt::print("\n");
  for (const auto& line : roundLines) fmt::print("{}\n", line);
  fmt::print("# pelato scale time (first includes the AOT compile with --tier aot):");
  for (size_t i = 0; i < counts.size(); ++i)
    fmt::print(" x{} {:.2f} s", counts[i], scaleSeconds[i]);
  bool allArrived = true;
  for (const auto& r : rows)
    allArrived = allArrived && r.throughput.lost() == 0 && r.latency.lost() == 0 &&
                 r.throughput.duplicates == 0 && r.latency.duplicates == 0;
  fmt::print("\n# every message arrived exactly once: {}\n",
             allArrived ? "yes" : "NO (see the arrived column)");
  fmt::print("# load average at the end {}; total wall time {:.1f} s\n", loadAverage(),
             std::chrono::duration<double>(Clock::now() - wallStart).count());

  (*host)->signal(SIGTERM);
  (void)(*host)->waitExit(10s);
  jsCtx_Destroy(pubJs);
  jsCtx_Destroy(subJs);
  natsConnection_Destroy(pubConn);
  natsConnection_Destroy(latConn);
  natsConnection_Destroy(subConn);
  return allArrived ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::string_view(argv[1]) == "--internal-relay")
    return runRelay(argv[2], argv[3], argv[4], argv[5]);

  Options o;
  CLI::App app{
      "pelato pipeline benchmark: a raw nats.c relay vs a pelato host running a trivial task"};
  app.add_option("--messages", o.messages, "Throughput phase: messages (at-most-once)")
      ->capture_default_str();
  app.add_option("--payload", o.payload, "Payload bytes")->capture_default_str();
  app.add_option("--window", o.window, "Throughput phase: messages in flight at most")
      ->capture_default_str();
  app.add_option("--rate", o.rate, "Latency phase: messages/s (at-most-once)")
      ->capture_default_str();
  app.add_option("--seconds", o.seconds, "Latency phase: duration")->capture_default_str();
  app.add_option("--instances", o.instances, "N: pelato runs with 1 and with N instances")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option(
         "--rounds", o.rounds,
         "Rounds per scenario, interleaved: throughput rounds (median shown) and latency slices")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--alo-messages", o.aloMessages, "Throughput phase: messages (at-least-once)")
      ->capture_default_str();
  app.add_option("--alo-rounds", o.aloRounds, "Throughput phase: rounds (at-least-once)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--alo-rate", o.aloRate, "Latency phase: messages/s (at-least-once)")
      ->capture_default_str();
  app.add_option("--tier", o.tier, "pelato host --tier")
      ->capture_default_str()
      ->check(CLI::IsMember({"aot", "auto", "interp"}));
  app.add_flag("--no-alo", o.noAlo, "Skip the at-least-once scenarios");
  app.add_option("--guest-dir", o.guestDir, "Where upper_task.wasm is")->capture_default_str();
  app.add_option("--pelato", o.pelato, "The pelato binary (for A/B runs of two builds)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  nats_Open(-1);
  int rc = runBench(o);
  nats_Close();
  return rc;
}
