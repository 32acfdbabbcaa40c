#include "orchestrator/orchestrator.h"

#include <future>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "lattice/component_migration.h"
#include "lattice/events.h"
#include "lattice/subjects.h"
#include "orchestrator/app_status.h"

namespace pelato::orchestrator {
namespace {

using namespace std::chrono_literals;
using lattice::Json;

constexpr std::string_view kLeaseKey = "leader";
constexpr std::string_view kApiQueue = "pelato-orchestrator";

uint32_t runningOn(const LatticeState& state, const std::string& hostId, const std::string& componentId) {
  for (const auto& host : state.hosts)
    if (host.id == hostId) {
      auto it = host.components.find(componentId);
      return it == host.components.end() ? 0 : it->second.instances;
    }
  return 0;
}

}  // namespace

Orchestrator::Orchestrator(OrchestratorConfig config)
    : config_(std::move(config)), wadm_(config_.lattice), view_(config_.liveness, config_.load),
      lease_(config_.id, config_.leasePeriod) {}

Result<std::unique_ptr<Orchestrator>> Orchestrator::start(OrchestratorConfig config) {
  if (auto ok = lattice::validateLatticeName(config.lattice); !ok) return fail(std::move(ok.error()));
  if (config.id.empty()) config.id = lattice::newEventId();
  auto subjects = lattice::Subjects::create(config.lattice);
  if (!subjects) return fail(std::move(subjects.error()));
  std::unique_ptr<Orchestrator> o(new Orchestrator(config));

  auto nats = lattice::NatsClient::connect(
      {.url = config.natsUrl, .auth = config.natsAuth, .name = fmt::format("pelato-orchestrator {}", config.id)});
  if (!nats) return fail(std::move(nats.error()));
  o->nats_ = std::move(*nats);
  o->ctl_ = std::make_unique<lattice::CtlClient>(*o->nats_, *subjects, 1s);
  o->probe_ = std::make_unique<lattice::CtlClient>(*o->nats_, *subjects, 500ms);

  auto apps = lattice::LatticeKv::open(*o->nats_, "PELATO_APPS_" + config.lattice);
  if (!apps) return fail(std::move(apps.error()));
  o->apps_ = std::move(*apps);
  auto leases = lattice::LatticeKv::open(*o->nats_, "PELATO_ORCHESTRATOR_" + config.lattice);
  if (!leases) return fail(std::move(leases.error()));
  o->leases_ = std::move(*leases);

  // The stored applications first, so that a new leader starts from all of them.
  auto caughtUp = std::make_shared<std::promise<void>>();
  auto watch = o->apps_->watchAll([self = o.get()](lattice::KvEntry entry) { self->onAppEntry(std::move(entry)); },
                                  [caughtUp] { caughtUp->set_value(); });
  if (!watch) return fail(std::move(watch.error()));
  o->appsWatch_ = std::move(*watch);
  if (caughtUp->get_future().wait_for(10s) != std::future_status::ready)
    return fail("reading the stored applications from PELATO_APPS_{} took longer than 10 s", config.lattice);

  auto events = o->ctl_->subscribeEvents(std::nullopt, [self = o.get()](Result<lattice::CloudEvent> event, const std::string&) {
    if (event) self->onEvent(*event);
  });
  if (!events) return fail(std::move(events.error()));
  o->events_ = std::move(*events);
  o->warmUntil_ = Clock::now() + config.liveness.heartbeat * 6 / 5;
  o->loop_ = std::thread([self = o.get()] { self->run(); });
  o->liveness_ = std::thread([self = o.get()] { self->watchLiveness(); });
  spdlog::info("orchestrator {} on lattice {} ({})", config.id, config.lattice, config.natsUrl);
  return o;
}

Orchestrator::~Orchestrator() { shutdown(); }

void Orchestrator::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (loop_.joinable()) loop_.join();
  if (liveness_.joinable()) liveness_.join();
  api_.reset();
  migrateApi_.reset();
  events_.reset();
  appsWatch_.reset();
  leases_.reset();
  apps_.reset();
  if (nats_) nats_->close();
}

// --- the loop ------------------------------------------------------------------------------

void Orchestrator::run() {
  auto nextPass = Clock::now();
  auto nextLease = Clock::now();
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, 100ms, [&] { return stopping_ || (dirty_ && Clock::now() >= warmUntil_); });
      if (stopping_) return;
    }
    auto now = Clock::now();
    if (now >= nextLease) {
      stepLease(now);
      nextLease = now + lease_.renewEvery() / 2;
    }
    bool due;
    {
      std::lock_guard lock(mutex_);
      due = (dirty_ || now >= nextPass) && lease_.leader(now) && now >= warmUntil_;
      if (now >= warmUntil_) dirty_ = false;
    }
    if (due) {
      reconcileAll();
      nextPass = now + config_.reconcileEvery;
    }
  }
}

void Orchestrator::stepLease(Clock::time_point now) {
  auto current = leases_->entry(kLeaseKey);
  if (!current) {
    spdlog::warn("orchestrator lease: {}", current.error().message());
    return;
  }
  std::optional<Lease::Current> seen;
  if (*current) seen = Lease::Current{(*current)->value, (*current)->revision};
  std::optional<Lease::Write> write;
  {
    std::lock_guard lock(mutex_);
    write = lease_.decide(seen, now);
  }
  if (write) {
    auto written = write->create ? leases_->create(kLeaseKey, config_.id)
                                 : leases_->update(kLeaseKey, config_.id, write->revision);
    if (!written) spdlog::warn("orchestrator lease: {}", written.error().message());
    std::lock_guard lock(mutex_);
    lease_.written(written ? *written : std::nullopt, now);
  }
  bool leading;
  {
    std::lock_guard lock(mutex_);
    leading = lease_.leader(now);
  }
  serveApi(leading);
}

void Orchestrator::serveApi(bool leading) {
  if (leading && !api_) {
    auto api = nats_->queueSubscribe(wadm_.all(), kApiQueue, [this](lattice::NatsMessage m) { onApi(m); });
    if (!api) {
      spdlog::error("serving {}: {}", wadm_.all(), api.error().message());
      return;
    }
    api_ = std::move(*api);
    auto migrate = nats_->queueSubscribe(lattice::migrateSubject(config_.lattice), kApiQueue, [this](lattice::NatsMessage m) {
      if (!m.reply.empty()) (void)nats_->respond(m, this->migrate(m.data).dump());
    });
    if (migrate) migrateApi_ = std::move(*migrate);
    else spdlog::error("serving {}: {}", lattice::migrateSubject(config_.lattice), migrate.error().message());
    (void)nats_->flush(2s);
    spdlog::info("orchestrator {} leads lattice {}", config_.id, config_.lattice);
    std::lock_guard lock(mutex_);
    dirty_ = true;
  } else if (!leading && api_) {
    api_.reset();
    migrateApi_.reset();
    spdlog::warn("orchestrator {} lost the lease; standing by", config_.id);
  }
}

void Orchestrator::watchLiveness() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, 100ms, [&] { return stopping_; })) return;
    }
    probeSuspects(Clock::now());
  }
}

void Orchestrator::probeSuspects(Clock::time_point now) {
  std::vector<std::string> suspects;
  {
    std::lock_guard lock(mutex_);
    for (const auto& id : view_.expire(now)) {
      spdlog::warn("host {} missed {} heartbeats: dead, its work is placed elsewhere", id,
                   config_.liveness.missedHeartbeats);
      dirty_ = true;
      wake_.notify_all();
    }
    suspects = view_.suspects(now);
  }
  for (const auto& id : suspects) {
    auto answer = probe_->inventory(id);
    std::lock_guard lock(mutex_);
    if (answer) {
      view_.confirmAlive(id, Clock::now());
    } else if (nats_->connected() && view_.remove(id)) {  // our own connection may be the problem
      spdlog::warn("host {} is silent and did not answer a probe ({}): dead, its work is placed elsewhere", id,
                   answer.error().message());
      dirty_ = true;
      wake_.notify_all();
    }
  }
}

void Orchestrator::reconcileAll() {
  LatticeState state;
  std::vector<std::tuple<std::string, Manifest, Moves>> deployed;
  {
    std::lock_guard lock(mutex_);
    state = view_.state();
    for (auto& [name, app] : appsByName_) {
      const auto* version = app.deployedVersion();
      if (!version) continue;
      // A move ends with either of its hosts.
      Moves moves = app.moves;
      for (auto& [component, byHost] : moves)
        std::erase_if(byHost, [&](const auto& m) { return !view_.contains(m.first) || !view_.contains(m.second); });
      std::erase_if(moves, [](const auto& entry) { return entry.second.empty(); });
      if (moves != app.moves) {
        StoredApp updated = app;
        updated.moves = moves;
        if (auto ok = save(updated); ok) app = std::move(updated);
      }
      deployed.emplace_back(name, app.deployedVersion()->manifest, app.moves);
    }
  }
  if (deployed.empty()) return;
  // Without the lattice's links this pass would put them all again, each maybe waiting out a
  // timeout: it leaves links to the next pass.
  auto links = probe_->linkGet();
  if (links) state.links = std::move(*links);
  for (const auto& [name, manifest, moves] : deployed) {
    Plan plan = reconcile(manifest, state, moves);
    if (!links) plan.links.clear();
    {
      std::lock_guard lock(mutex_);
      std::erase_if(scaleErrors_, [&](const auto& entry) { return !view_.contains(entry.first.first); });
      for (auto& report : plan.components) {
        for (const auto& [key, error] : scaleErrors_)
          if (key.second == report.componentId) {
            report.status = ComponentStatus::Failed;
            report.message = fmt::format("host {}: {}", key.first, error);
          }
      }
      reports_[name] = plan.components;
    }
    apply(plan, state);
  }
}

void Orchestrator::apply(const Plan& plan, const LatticeState& state, bool makeBeforeBreak) {
  applyScales(plan, state, makeBeforeBreak);  // first: a failover must not wait on links
  applyTransfers(plan);
  for (const auto& link : plan.links)
    if (auto ok = ctl_->linkPut(link); !ok) spdlog::warn("putting link {} → {}: {}", link.sourceId, link.target, ok.error().message());
  for (const auto& unlink : plan.unlinks)
    if (auto ok = ctl_->linkDel(unlink); !ok) spdlog::warn("deleting link of {}: {}", unlink.sourceId, ok.error().message());
}

void Orchestrator::applyScales(const Plan& plan, const LatticeState& state, bool makeBeforeBreak) {
  auto now = Clock::now();
  // Components gaining instances somewhere (in this plan, or sent earlier and not yet shown):
  // their scale-downs wait, so that the new instances subscribe before the old ones go.
  std::set<std::string> growing;
  for (const auto& scale : plan.scales)
    if (scale.maxInstances > runningOn(state, scale.hostId, scale.componentId)) growing.insert(scale.componentId);
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, sent] : sent_) {
      if (sent.instances == 0 || now - sent.at >= config_.resendAfter || !view_.contains(key.first)) continue;
      if (runningOn(state, key.first, key.second) < sent.instances) growing.insert(key.second);
    }
  }
  for (const auto& scale : plan.scales) {
    bool down = scale.maxInstances < runningOn(state, scale.hostId, scale.componentId);
    if (down && makeBeforeBreak && growing.contains(scale.componentId)) continue;  // the next pass sends it
    auto key = std::make_pair(scale.hostId, scale.componentId);
    {
      std::lock_guard lock(mutex_);
      auto it = sent_.find(key);
      if (it != sent_.end() && it->second.instances == scale.maxInstances && it->second.imageRef == scale.componentRef &&
          now - it->second.at < config_.resendAfter)
        continue;  // already asked; its event is on the way
      sent_[key] = {scale.maxInstances, scale.componentRef, now};
    }
    spdlog::info("scaling {} to {} on host {}", scale.componentId, scale.maxInstances, scale.hostId);
    if (auto ok = ctl_->scale(scale, std::nullopt); !ok)
      spdlog::warn("scaling {} on host {}: {}", scale.componentId, scale.hostId, ok.error().message());
  }
}

void Orchestrator::applyTransfers(const Plan& plan) {
  for (const auto& transfer : plan.transfers) {
    auto now = Clock::now();
    auto to = std::make_pair(transfer.toHost, transfer.componentId);
    {
      std::lock_guard lock(mutex_);
      auto it = sent_.find(to);
      if (it != sent_.end() && it->second.instances == 1 && now - it->second.at < config_.resendAfter)
        continue;  // moved already; the events are on the way
    }
    spdlog::info("moving stateful {} from host {} to {}", transfer.componentId, transfer.fromHost, transfer.toHost);
    // In this pass's thread: nothing else is sent for the component while its state moves.
    auto moved = lattice::moveStateful(*ctl_, {.componentId = transfer.componentId,
                                               .componentRef = transfer.componentRef,
                                               .annotations = transfer.annotations, .fromHost = transfer.fromHost,
                                               .toHost = transfer.toHost, .timeout = config_.resendAfter});
    std::lock_guard lock(mutex_);
    if (!moved) {
      spdlog::warn("moving stateful {}: {}", transfer.componentId, moved.error().message());
      scaleErrors_[to] = moved.error().message();
      continue;
    }
    spdlog::info("moved stateful {} to host {} ({} bytes of state, {} ms on the source)", transfer.componentId,
                 transfer.toHost, moved->bytes, moved->tookMs);
    sent_[to] = {1, transfer.componentRef, Clock::now()};
    sent_[{transfer.fromHost, transfer.componentId}] = {0, transfer.componentRef, Clock::now()};
  }
}

// --- events and stored applications ---------------------------------------------------------

void Orchestrator::onEvent(const lattice::CloudEvent& event) {
  namespace type = lattice::event_type;
  auto kind = event.latticeType();
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  bool changed = false;
  if (kind == type::kHostHeartbeat) {
    if (auto beat = lattice::HostHeartbeat::fromJson(event.data)) {
      const std::string& host = beat->inventory.hostId;
      bool wasOverloaded = view_.overloaded(host);
      changed = view_.onHeartbeat(*beat, now);
      if (view_.overloaded(host) != wasOverloaded) {
        auto load = beat->load.value_or(lattice::HostLoad{});
        if (wasOverloaded)
          spdlog::warn("host {} is no longer overloaded (cpu {:.2f}, queue {}): it takes placements again", host,
                       load.cpu, load.queueDepth);
        else
          spdlog::warn("host {} is overloaded (cpu {:.2f}, queue {}): its instances move to other hosts", host,
                       load.cpu, load.queueDepth);
      }
    }
  } else if (kind == type::kHostStarted) {
    if (auto started = lattice::HostStarted::fromJson(event.data)) changed = view_.onHostStarted(*started, now);
  } else if (kind == type::kHostStopped) {
    auto stopped = lattice::HostStopped::fromJson(event.data);
    changed = view_.onHostStopped(stopped && !stopped->hostId.empty() ? stopped->hostId : event.source);
  } else if (kind == type::kLabelsChanged) {
    if (auto labels = lattice::LabelsChanged::fromJson(event.data)) changed = view_.onLabelsChanged(*labels, now);
  } else if (kind == type::kComponentScaled) {
    if (auto scaled = lattice::ComponentScaled::fromJson(event.data)) {
      scaleErrors_.erase({scaled->hostId, scaled->componentId});
      changed = view_.onComponentScaled(*scaled, now);
    }
  } else if (kind == type::kComponentScaleFailed) {
    if (auto failed = lattice::ComponentScaleFailed::fromJson(event.data)) {
      scaleErrors_[{failed->hostId, failed->componentId}] = failed->error;
      changed = true;
    }
  } else if (kind == type::kLinkdefDeleted) {
    changed = true;  // put it back if an app wants it
  }
  if (changed) {
    dirty_ = true;
    wake_.notify_all();
  }
}

void Orchestrator::onAppEntry(lattice::KvEntry entry) {
  std::lock_guard lock(mutex_);
  if (entry.deleted) {
    appsByName_.erase(entry.key);
  } else if (auto app = StoredApp::fromJson(entry.value)) {
    appsByName_[entry.key] = std::move(*app);
  } else {
    spdlog::error("ignoring stored application {}: {}", entry.key, app.error().message());
    return;
  }
  dirty_ = true;
  wake_.notify_all();
}

}  // namespace pelato::orchestrator
