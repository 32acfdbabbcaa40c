// The host's side of stateful components (lattice/snapshot_api.h): snapshots on request, on a
// period and at shutdown, and components started from a stored snapshot.
#include <spdlog/spdlog.h>

#include "host/host.h"
#include "runtime/instance.h"
#include "runtime/limits.h"
#include "runtime/snapshot.h"

namespace pelato::host {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A quiesced component's acknowledgements are waited for this long before the snapshot is
// given up (the messages would run twice otherwise: once here, once on the target).
constexpr auto kSettleTimeout = 10s;

uint64_t msSince(Clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

std::chrono::milliseconds snapshotInterval(const lattice::StringMap& annotations) {
  auto it = annotations.find(std::string(lattice::kSnapshotIntervalAnnotation));
  if (it == annotations.end()) return 0ms;
  uint64_t ms = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9' || ms > 1'000'000'000) return 0ms;
    ms = ms * 10 + static_cast<uint64_t>(c - '0');
  }
  return std::chrono::milliseconds(ms);
}

}  // namespace

Result<lattice::SnapshotInfo> Host::storeSnapshot(const std::string& id, const std::string& imageRef,
                                                   Component& component, Feeds* quiesced) {
  auto started = Clock::now();
  auto snapshot = component.snapshot();  // after every message already taken
  if (!snapshot) return fail(std::move(snapshot.error()).context("snapshot of " + id));
  if (quiesced) {
    if (!quiesced->waitSettled(kSettleTimeout))
      return fail("component {}: messages it ran were not acknowledged within {} s; the snapshot is not stored "
                  "(they would run again elsewhere)", id, kSettleTimeout.count());
    if (auto ok = data_->flush(); !ok)  // the acknowledgements reached the server
      return fail(std::move(ok.error()).context("settling the acknowledgements of " + id));
  }
  auto bytes = runtime::encodeSnapshot(*snapshot);
  auto record = snapshots_->save(id, bytes, {.componentRef = imageRef, .hostId = id_});
  if (!record) return fail(std::move(record.error()));
  return lattice::SnapshotInfo{.componentId = id, .componentRef = imageRef,
                               .generation = record->generation, .bytes = record->bytes,
                               .sha256 = record->sha256, .tookMs = msSince(started)};
}

Result<lattice::SnapshotInfo> Host::snapshotComponent(const lattice::SnapshotRequest& request) {
  const std::string& id = request.componentId;
  std::unique_lock lock(mutex_);
  auto it = components_.find(id);
  if (it == components_.end()) return fail("component {} is not running on host {}", id, id_);
  if (!request.stop) {
    // Taken between two calls while it keeps running: the component stays in the map, and the
    // worker serialises the snapshot with its calls, so the lock need not be held.
    std::shared_ptr<Component> component = it->second.component;
    std::string ref = it->second.imageRef;
    lock.unlock();
    uint64_t calls = component->counters().calls;
    auto info = storeSnapshot(id, ref, *component, nullptr);
    if (info) {
      std::lock_guard relock(mutex_);
      if (auto again = components_.find(id); again != components_.end() && again->second.component == component) {
        again->second.lastSnapshot = Clock::now();
        again->second.callsAtSnapshot = calls;
      }
    }
    return info;
  }
  // Quiesce: out of the map (no HTTP route, no rpc, no new messages), feeds closed; what it took
  // runs to the end before the snapshot.
  Running running = std::move(it->second);
  components_.erase(it);
  updateRoutesLocked();
  lock.unlock();
  auto started = Clock::now();
  running.feeds.close();
  auto info = storeSnapshot(id, running.imageRef, *running.component, &running.feeds);
  if (!info) {
    // Nothing is lost: the component takes messages again where it stopped.
    spdlog::error("component {}: snapshot failed, resuming it: {}", id, info.error().message());
    std::lock_guard relock(mutex_);
    Running& back = components_[id];
    back = std::move(running);
    subscribeLocked(id, back);
    return fail(std::move(info.error()));
  }
  info->tookMs = msSince(started);
  std::string ref = running.imageRef;
  lattice::StringMap annotations = running.annotations;
  running.feeds = Feeds();
  running.component.reset();
  spdlog::info("component {} stopped after its snapshot (generation {}, {} bytes, {} ms)", id, info->generation,
               info->bytes, info->tookMs);
  publishEvent(lattice::event_type::kComponentScaled,
               lattice::ComponentScaled{.hostId = id_, .componentId = id, .imageRef = ref, .maxInstances = 0,
                                        .annotations = annotations}
                   .toJson());
  return info;
}

Result<void> Host::restoreStored(const std::string& id, const std::string& imageRef, Component& component,
                                 StartState state) {
  auto stored = snapshots_->load(id);
  if (!stored) return fail(std::move(stored.error()));
  if (!*stored) {
    if (state == StartState::Stored)
      return fail("no snapshot of {} is stored in {}; take one with component.snapshot", id,
                  lattice::snapshotBucket(config_.lattice));
    return {};
  }
  const auto& record = (*stored)->record;
  // No bigger than an instance here may grow: a damaged or forged record cannot make it allocate more.
  auto snapshot = runtime::decodeSnapshot(
      (*stored)->bytes, {.maxMemoryBytes = uint64_t{runtime::Limits{}.maxMemoryPages} * runtime::kWasmPageBytes});
  auto restored = snapshot ? component.restore(*snapshot) : Result<void>(fail(std::move(snapshot.error())));
  if (!restored) {
    auto why = fmt::format("the stored snapshot of {} (generation {}, from {}) does not restore: {}", id,
                           record.generation, record.componentRef, restored.error().message());
    if (state == StartState::Stored) return fail("{}", why);
    // Another version of the module, say: it starts afresh rather than not at all.
    spdlog::warn("{}; starting {} without it", why, imageRef);
    return {};
  }
  spdlog::info("component {} restored from snapshot generation {} ({} bytes, taken on {})", id, record.generation,
               record.bytes, record.hostId);
  return {};
}

Result<lattice::SnapshotInfo> Host::restoreComponent(const lattice::RestoreRequest& request) {
  auto started = Clock::now();
  if (auto ok = lattice::validateToken("component id", request.componentId); !ok) return fail(std::move(ok.error()));
  auto annotations = request.annotations.value_or(lattice::StringMap{});
  annotations.emplace(std::string(lattice::kStatefulAnnotation), "true");
  lattice::ScaleComponentCommand command{.componentRef = request.componentRef, .componentId = request.componentId,
                                         .hostId = id_, .maxInstances = 1, .annotations = std::move(annotations)};
  if (auto ok = applyScale(std::move(command), StartState::Stored); !ok) return fail(std::move(ok.error()));
  std::lock_guard lock(mutex_);
  auto it = components_.find(request.componentId);
  if (it == components_.end()) return fail("component {} stopped right after its restore", request.componentId);
  it->second.lastSnapshot = Clock::now();
  return lattice::SnapshotInfo{.componentId = request.componentId, .componentRef = request.componentRef,
                               .tookMs = msSince(started)};
}

void Host::snapshotLoop() {
  while (true) {
    {
      std::unique_lock lock(stopMutex_);
      if (stopChanged_.wait_for(lock, 100ms, [&] { return shutDown_; })) return;
    }
    std::vector<std::string> due;
    {
      std::lock_guard lock(mutex_);
      auto now = Clock::now();
      for (auto& [id, running] : components_) {
        auto interval = snapshotInterval(running.annotations);
        if (interval.count() == 0 || now - running.lastSnapshot < interval) continue;
        if (running.component->counters().calls == running.callsAtSnapshot) continue;  // nothing new
        due.push_back(id);
      }
    }
    for (const auto& id : due)
      if (auto info = snapshotComponent({.componentId = id}); !info)
        spdlog::warn("periodic snapshot of {}: {}", id, info.error().message());
  }
}

}  // namespace pelato::host
