#include "dashboard/lattice_monitor.h"

namespace pelato::dashboard {
namespace {

using namespace std::chrono;

int64_t unixSecond(system_clock::time_point t) { return duration_cast<seconds>(t.time_since_epoch()).count(); }

}  // namespace

LatticeMonitor::LatticeMonitor(lattice::CtlClient& ctl, lattice::WadmClient& wadm, MonitorOptions options)
    : ctl_(ctl), wadm_(wadm), options_(options), rates_(options.maxSubjects, options.rateWindowSeconds) {
  view_.assumedHeartbeat = options.heartbeat;
}

Result<std::unique_ptr<LatticeMonitor>> LatticeMonitor::start(lattice::CtlClient& ctl, lattice::WadmClient& wadm,
                                                             MonitorOptions options) {
  std::unique_ptr<LatticeMonitor> monitor(new LatticeMonitor(ctl, wadm, options));
  auto* self = monitor.get();
  auto events = ctl.subscribeEvents(std::nullopt, [self](Result<lattice::CloudEvent> event, const std::string&) {
    self->onEvent(std::move(event));
  });
  if (!events) return fail(std::move(events.error()).context("subscribing to the lattice events"));
  monitor->events_ = std::move(*events);
  auto traffic = ctl.nats().subscribe(">", [self](lattice::NatsReceived message) { self->onMessage(std::move(message)); });
  if (!traffic) return fail(std::move(traffic.error()).context("subscribing to `>` for the message rates"));
  monitor->traffic_ = std::move(*traffic);
  if (auto flushed = ctl.nats().flush(); !flushed) return fail(std::move(flushed.error()));
  monitor->poller_ = std::thread([self] { self->poll(); });
  return monitor;
}

LatticeMonitor::~LatticeMonitor() { stop(); }

void LatticeMonitor::stop() {
  {
    std::lock_guard lock(stopMutex_);
    stopping_ = true;
  }
  stopSignal_.notify_all();
  if (poller_.joinable()) poller_.join();
  events_.reset();
  traffic_.reset();
}

void LatticeMonitor::onEvent(Result<lattice::CloudEvent> event) {
  if (!event) return;  // not a CloudEvent: nothing to show
  std::lock_guard lock(mutex_);
  if (apply(view_, *event, Clock::now())) ++version_;
}

void LatticeMonitor::onMessage(lattice::NatsReceived message) {
  auto subject = message.subject();
  if (!isChartedSubject(subject)) return;
  auto second = unixSecond(system_clock::now());
  std::lock_guard lock(mutex_);
  rates_.count(subject, second);
}

void LatticeMonitor::poll() {
  bool haveLinks = false;
  auto nextApps = Clock::now();
  int64_t chartedSecond = 0;
  std::unique_lock stopLock(stopMutex_);
  while (!stopping_) {
    stopLock.unlock();
    auto now = Clock::now();
    if (!haveLinks) {
      // Until some host answers: the links are in the lattice's KV, which only hosts serve.
      if (auto links = ctl_.linkGet()) {
        haveLinks = true;
        std::lock_guard lock(mutex_);
        for (const auto& link : *links)
          view_.links[linkKey(link.sourceId, link.name, link.witNamespace, link.witPackage)] = link;
        ++version_;
      }
    }
    if (now >= nextApps) {
      nextApps = now + options_.appsEvery;
      auto apps = wadm_.list();
      std::lock_guard lock(mutex_);
      if (setApps(view_, apps)) ++version_;
    }
    {
      auto wall = system_clock::now();
      auto second = unixSecond(wall);
      std::lock_guard lock(mutex_);
      if (expire(view_, Clock::now(), wall)) ++version_;
      // A new second completes a point of the chart.
      if (second != chartedSecond && rates_.active(second)) ++version_;
      chartedSecond = second;
    }
    stopLock.lock();
    stopSignal_.wait_for(stopLock, options_.tick, [this] { return stopping_; });
  }
}

Snapshot LatticeMonitor::snapshot() {
  auto wall = system_clock::now();
  lattice::Json json;
  uint64_t version;
  {
    std::lock_guard lock(mutex_);
    version = version_.load();
    json = toJson(view_, Clock::now());
    json["rates"] = rates_.toJson(unixSecond(wall));
  }
  json["lattice"] = ctl_.subjects().lattice();
  json["version"] = version;
  json["now_ms"] = duration_cast<milliseconds>(wall.time_since_epoch()).count();
  return {.version = version, .json = lattice::dumpJson(json)};
}

std::optional<ComponentView> LatticeMonitor::componentOf(std::string_view componentId) {
  std::lock_guard lock(mutex_);
  for (const auto& [_, host] : view_.hosts)
    if (auto it = host.components.find(std::string(componentId)); it != host.components.end()) return it->second;
  return std::nullopt;
}

}  // namespace pelato::dashboard
