#include "host/host.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <future>

#include "common/version.h"
#include "host/host_id.h"
#include "host/kv_store.h"
#include "host/module_source.h"
#include "host/messaging_link.h"

namespace pelato::host {

using lattice::CtlReply;
using lattice::Json;

namespace {

std::string defaultFriendlyName(const std::string& id) {
  std::string name = "pelato-";
  for (char c : id.substr(1, 6)) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// CPU time (user + system) this process has used so far.
std::chrono::microseconds processCpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& t) { return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

std::string humanDuration(uint64_t seconds) {
  return fmt::format("{}h {}m {}s", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

}  // namespace

Host::Host(HostConfig config, lattice::Subjects subjects, std::unique_ptr<runtime::Engine> engine)
    : config_(std::move(config)),
      id_(config_.hostId.empty() ? newHostId() : config_.hostId),
      subjects_(std::move(subjects)),
      engine_(std::move(engine)),
      labels_(config_.labels) {
  if (config_.friendlyName.empty()) config_.friendlyName = defaultFriendlyName(id_);
  registry_ = oci::makeRegistry({.insecure = config_.registryInsecure});
}

Result<std::unique_ptr<Host>> Host::start(HostConfig config) {
  auto subjects = lattice::Subjects::create(config.lattice);
  if (!subjects) return fail(std::move(subjects.error()));
  if (!config.hostId.empty())
    if (auto ok = lattice::validateToken("host id", config.hostId); !ok) return fail(std::move(ok.error()));
  if (config.heartbeat.count() <= 0) return fail("heartbeat period must be positive");
  auto engine = runtime::Engine::create(
      {.tier = config.tier, .background = runtime::EngineOptions::Background::Thread});
  if (!engine) return fail(std::move(engine.error()).context("engine"));

  std::unique_ptr<Host> host(new Host(std::move(config), std::move(*subjects), std::move(*engine)));
  auto nats = lattice::NatsClient::connect(
      {.url = host->config_.natsUrl, .auth = host->config_.natsAuth, .name = fmt::format("pelato-host {}", host->id_)});
  if (!nats) return fail(std::move(nats.error()));
  host->nats_ = std::move(*nats);
  auto data = lattice::NatsClient::connect(
      {.url = host->config_.natsUrl, .auth = host->config_.natsAuth, .name = fmt::format("pelato-host {} data", host->id_)});
  if (!data) return fail(std::move(data.error()));
  host->data_ = std::move(*data);
  auto js = lattice::JetStream::open(*host->data_);
  if (!js) return fail(std::move(js.error()));
  host->js_ = std::move(*js);

  if (host->config_.httpPort >= 0) {
    host->http_ = std::make_unique<HttpProvider>(
        HttpProviderOptions{.metricsText = [h = host.get()] { return h->metricsText(); }, .metrics = &host->metrics_});
    auto server = http::HttpServer::start(
        {.address = host->config_.httpAddress, .port = static_cast<uint16_t>(host->config_.httpPort), .threads = 2},
        host->http_->handler());
    if (!server)
      return fail("{} (pass --http-port N for another port, 0 for any free one, -1 for no HTTP server)",
                  server.error().message());
    host->httpServer_ = std::move(*server);
  }

  auto kv = lattice::LatticeKv::open(*host->nats_, host->subjects_.latticeDataBucket());
  if (!kv) return fail(std::move(kv.error()));
  host->kv_ = std::move(*kv);
  auto snapshots = lattice::SnapshotStore::open(*host->nats_, host->config_.lattice);
  if (!snapshots) return fail(std::move(snapshots.error()));
  host->snapshots_ = std::move(*snapshots);
  auto caughtUp = std::make_shared<std::promise<void>>();
  auto caughtUpFuture = caughtUp->get_future();
  auto watch = host->kv_->watchAll([h = host.get()](lattice::KvEntry e) { h->onKvEntry(std::move(e)); },
                                   [caughtUp] { caughtUp->set_value(); });
  if (!watch) return fail(std::move(watch.error()));
  host->watch_ = std::move(*watch);
  if (caughtUpFuture.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    return fail("timed out reading the links in KV bucket {}", host->kv_->bucket());

  auto control = host->nats_->subscribe(host->subjects_.controlWildcard(),
                                        [h = host.get()](lattice::NatsMessage m) { h->onControl(m, false); });
  if (!control) return fail(std::move(control.error()).context("subscribing to the control interface"));
  host->control_.emplace(std::move(*control));
  // wasmCloud's queue groups for lattice-wide commands (one host answers each):
  // wasmbus.ctl.v1.<L>.link on ….link.*, ….config on ….config.>, ….claims on ….claims.get.
  std::string base = host->subjects_.hostPing();
  base.resize(base.size() - std::string_view("host.ping").size());
  for (auto [subject, group] : {std::pair{"link.*", "link"}, {"config.>", "config"}, {"claims.get", "claims"}}) {
    auto queued = host->nats_->queueSubscribe(base + subject, base + group,
                                              [h = host.get()](lattice::NatsMessage m) { h->onControl(m, true); });
    if (!queued) return fail(std::move(queued.error()).context(fmt::format("subscribing to {}{}", base, subject)));
    host->queuedControl_.push_back(std::move(*queued));
  }
  if (auto ok = host->nats_->flush(); !ok) return fail(std::move(ok.error()));

  lattice::HostStarted started{.hostId = host->id_, .friendlyName = host->config_.friendlyName,
                               .labels = host->config_.labels, .version = std::string(kVersion)};
  host->publishEvent(lattice::event_type::kHostStarted, started.toJson());
  host->heartbeat_ = std::thread([h = host.get()] { h->heartbeatLoop(); });
  host->snapshotter_ = std::thread([h = host.get()] { h->snapshotLoop(); });
  return host;
}

Host::~Host() { shutdown(); }

void Host::requestStop() {
  std::lock_guard lock(stopMutex_);
  stopRequested_ = true;
  stopChanged_.notify_all();
}

bool Host::stopRequested() const {
  std::lock_guard lock(stopMutex_);
  return stopRequested_;
}

bool Host::waitForStopRequest(std::chrono::milliseconds timeout) {
  std::unique_lock lock(stopMutex_);
  return stopChanged_.wait_for(lock, timeout, [&] { return stopRequested_; });
}

void Host::shutdown(std::string reason) {
  {
    std::lock_guard lock(stopMutex_);
    if (shutDown_) return;
    shutDown_ = true;
    stopRequested_ = true;
    stopChanged_.notify_all();
  }
  if (heartbeat_.joinable()) heartbeat_.join();
  if (snapshotter_.joinable()) snapshotter_.join();
  if (httpServer_) httpServer_->stop();  // no new requests; answers after this are dropped
  control_.reset();  // waits for a control handler in progress
  queuedControl_.clear();
  watch_.reset();  // waits for a link being applied
  std::map<std::string, Running> components;
  lattice::StringMap labels;
  {
    std::lock_guard lock(mutex_);
    components = std::move(components_);
    components_.clear();
    labels = labels_;
  }
  // Stateful components leave their state in the store, quiesced: whoever restarts them goes on
  // from there.
  for (auto& [id, running] : components) {
    running.feeds.close();
    if (lattice::isStateful(running.annotations))
      if (auto stored = storeSnapshot(id, running.imageRef, *running.component, &running.feeds); !stored)
        spdlog::error("component {}: no final snapshot: {}", id, stored.error().message());
    running.feeds = Feeds();
  }
  components.clear();  // workers finish queued messages and publish their results
  if (data_) (void)data_->flush();
  kvBuckets_.clear();
  snapshots_.reset();
  js_.reset();
  data_.reset();
  if (nats_) {
    publishEvent(lattice::event_type::kHostStopped,
                 lattice::HostStopped{.hostId = id_, .labels = labels, .reason = reason}.toJson());
    (void)nats_->flush();
    kv_.reset();
    nats_->close();
  }
}

void Host::publishEvent(std::string_view type, Json data) {
  auto subject = subjects_.event(type);
  if (!subject) return;
  auto event = lattice::makeLatticeEvent(type, id_, std::move(data), lattice::newEventId(),
                                         std::chrono::system_clock::now());
  if (auto ok = nats_->publish(*subject, lattice::dumpJson(event.toJson())); !ok)
    spdlog::warn("publishing {}: {}", type, ok.error().message());
}

// --- control interface --------------------------------------------------------------------

void Host::onControl(const lattice::NatsMessage& message, bool queued) {
  std::function<void()> after;
  CtlReply reply;
  auto subject = subjects_.parseControl(message.subject);
  auto isQueued = [](lattice::ControlCommand c) {
    using enum lattice::ControlCommand;
    return c == LinkPut || c == LinkDel || c == LinkGet || c == ConfigPut || c == ConfigGet || c == ConfigDel ||
           c == ClaimsGet;
  };
  // Link and config commands are answered by one host, through the queue subscriptions; the
  // wildcard subscription answers everything else, including link.<unknown>.
  if (queued != (subject && isQueued(subject->command))) return;
  if (!subject) {
    reply = CtlReply::error(subject.error().message());
  } else {
    // Commands addressed to another host are not ours to answer.
    if (lattice::takesHostId(subject->command) && subject->argument != id_) return;
    reply = dispatch(*subject, message, after);
  }
  if (!message.reply.empty()) (void)nats_->respond(message, lattice::dumpJson(reply.toJson()));
  if (after) after();
}

CtlReply Host::dispatch(const lattice::ControlSubject& subject, const lattice::NatsMessage& message,
                        std::function<void()>& after) {
  using lattice::ControlCommand;
  auto parseBody = [&]() -> Result<Json> {
    auto json = lattice::parseJson(message.data);
    if (!json) return fail(std::move(json.error()).context("malformed JSON"));
    return json;
  };
  switch (subject.command) {
    case ControlCommand::HostPing:
      return CtlReply::ok(hostSummary().toJson());
    case ControlCommand::HostGet: {
      std::lock_guard lock(mutex_);
      return CtlReply::ok(inventoryLocked().toJson());
    }
    case ControlCommand::HostStop:
      after = [this] { requestStop(); };
      return CtlReply::done(fmt::format("host {} stopping", id_));
    case ControlCommand::LabelPut:
    case ControlCommand::LabelDel: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      lattice::StringMap labels;
      {
        std::lock_guard lock(mutex_);
        if (subject.command == ControlCommand::LabelPut) {
          auto label = lattice::HostLabel::fromJson(*json);
          if (!label) return CtlReply::error(label.error().message());
          labels_[label->key] = label->value;
        } else {
          auto key = lattice::HostLabelKey::fromJson(*json);
          if (!key) return CtlReply::error(key.error().message());
          if (labels_.erase(key->key) == 0) return CtlReply::error(fmt::format("no label \"{}\"", key->key));
        }
        labels = labels_;
      }
      publishEvent(lattice::event_type::kLabelsChanged,
                   lattice::LabelsChanged{.hostId = id_, .labels = labels}.toJson());
      return CtlReply::done();
    }
    case ControlCommand::ComponentScale: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      return scale(*json, after);
    }
    case ControlCommand::ComponentUpdate: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      return update(*json, after);
    }
    case ControlCommand::ComponentSnapshot: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      auto request = lattice::SnapshotRequest::fromJson(*json);
      if (!request) return CtlReply::error(request.error().message());
      auto info = snapshotComponent(*request);
      if (!info) return CtlReply::error(info.error().message());
      return CtlReply::ok(info->toJson());
    }
    case ControlCommand::ComponentRestore: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      auto request = lattice::RestoreRequest::fromJson(*json);
      if (!request) return CtlReply::error(request.error().message());
      auto info = restoreComponent(*request);
      if (!info) return CtlReply::error(info.error().message());
      return CtlReply::ok(info->toJson());
    }
    case ControlCommand::LinkPut:
    case ControlCommand::LinkDel: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      return subject.command == ControlCommand::LinkPut ? linkPut(*json) : linkDel(*json);
    }
    case ControlCommand::ConfigPut: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      auto values = lattice::parseConfigValues(*json);
      if (!values) return CtlReply::error(values.error().message());
      if (auto ok = kv_->put(configKvKey(subject.argument), lattice::dumpJson(lattice::configValuesToJson(*values))); !ok)
        return CtlReply::error(ok.error().message());
      storeConfig(subject.argument, std::move(*values));
      publishEvent(lattice::event_type::kConfigSet, Json{{"config_name", subject.argument}});
      return CtlReply::done();
    }
    case ControlCommand::ConfigGet: {
      std::lock_guard lock(mutex_);
      auto it = configs_.find(subject.argument);
      if (it == configs_.end()) return CtlReply::done("Configuration not found");
      return CtlReply::ok(lattice::configValuesToJson(it->second));
    }
    case ControlCommand::ConfigDel: {
      if (auto ok = kv_->del(configKvKey(subject.argument)); !ok) return CtlReply::error(ok.error().message());
      storeConfig(subject.argument, std::nullopt);
      publishEvent(lattice::event_type::kConfigDeleted, Json{{"config_name", subject.argument}});
      return CtlReply::done();
    }
    case ControlCommand::RegistryPut: {
      auto json = parseBody();
      if (!json) return CtlReply::error(json.error().message());
      auto credentials = lattice::parseRegistryCredentials(*json);
      if (!credentials) return CtlReply::error(credentials.error().message());
      std::lock_guard lock(mutex_);
      for (auto& [registry, credential] : *credentials) registryCredentials_[registry] = std::move(credential);
      return CtlReply::done();
    }
    case ControlCommand::ClaimsGet: {
      std::lock_guard lock(mutex_);
      Json all = Json::array();
      for (const auto& [subject, claims] : claims_) all.push_back(claims);
      return CtlReply::ok(std::move(all));
    }
    case ControlCommand::LinkGet: {
      std::lock_guard lock(mutex_);
      Json links = Json::array();
      for (const auto& link : links_.all()) links.push_back(link.toJson());
      return CtlReply::ok(std::move(links));
    }
    default:
      return CtlReply::error(fmt::format("{} is not implemented by this host yet",
                                         lattice::commandName(subject.command)));
  }
}

CtlReply Host::scale(const Json& body, std::function<void()>& after) {
  auto command = lattice::ScaleComponentCommand::fromJson(body);
  if (!command) return CtlReply::error(command.error().message());
  if (auto ok = lattice::validateToken("component id", command->componentId); !ok)
    return CtlReply::error(ok.error().message());
  std::string message = fmt::format("scaling {} to {} on host {}", command->componentId,
                                    command->maxInstances, id_);
  after = [this, c = std::move(*command)]() mutable {
    bool stateful = lattice::isStateful(c.annotations);
    (void)applyScale(std::move(c), stateful ? StartState::StoredIfAny : StartState::Fresh);
  };
  return CtlReply::done(std::move(message));
}

CtlReply Host::update(const Json& body, std::function<void()>& after) {
  auto command = lattice::UpdateComponentCommand::fromJson(body);
  if (!command) return CtlReply::error(command.error().message());
  lattice::ScaleComponentCommand scale{.componentRef = command->newComponentRef, .componentId = command->componentId,
                                       .hostId = id_, .annotations = command->annotations};
  {
    std::lock_guard lock(mutex_);
    auto it = components_.find(command->componentId);
    if (it == components_.end())
      return CtlReply::error(fmt::format("component {} is not running on host {}; scale it first",
                                         command->componentId, id_));
    scale.maxInstances = it->second.count;
    if (!scale.annotations && !it->second.annotations.empty()) scale.annotations = it->second.annotations;
  }
  // The same path as a scale: the new instances take messages before the old ones stop.
  after = [this, s = std::move(scale)]() mutable { (void)applyScale(std::move(s)); };
  return CtlReply::done(fmt::format("updating {} to {} on host {}", command->componentId,
                                    command->newComponentRef, id_));
}

Result<void> Host::applyScale(lattice::ScaleComponentCommand command, StartState state) {
  const std::string& id = command.componentId;
  auto failed = [&](std::string why) -> Result<void> {
    spdlog::warn("scaling {}: {}", id, why);
    publishEvent(lattice::event_type::kComponentScaleFailed,
                 lattice::ComponentScaleFailed{.hostId = id_, .componentId = id,
                                               .imageRef = command.componentRef,
                                               .maxInstances = command.maxInstances,
                                               .annotations = command.annotations.value_or(lattice::StringMap{}),
                                               .error = why}
                     .toJson());
    return fail("{}", why);
  };
  auto scaled = [&](const std::optional<security::ComponentClaims>& claims = std::nullopt) {
    lattice::ComponentScaled event{.hostId = id_, .componentId = id, .imageRef = command.componentRef,
                                   .maxInstances = command.maxInstances,
                                   .annotations = command.annotations.value_or(lattice::StringMap{})};
    if (claims) {
      event.publicKey = claims->subject;
      event.claims = Json{{"issuer", claims->issuer}, {"name", claims->name.value_or("")},
                          {"version", claims->version.value_or("")}, {"revision", claims->revision.value_or(0)},
                          {"tags", claims->tags.value_or(std::vector<std::string>{})}};
    }
    publishEvent(lattice::event_type::kComponentScaled, event.toJson());
  };

  if (command.maxInstances == 0) {
    Running old;
    {
      std::lock_guard lock(mutex_);
      auto it = components_.find(id);
      if (it != components_.end()) {
        old = std::move(it->second);
        components_.erase(it);
      }
    }
    {
      std::lock_guard lock(mutex_);
      updateRoutesLocked();
    }
    old.feeds = Feeds();
    old.component.reset();  // finishes its queue
    scaled();
    return {};
  }

  bool unchanged = false;
  std::optional<security::ComponentClaims> runningClaims;
  {
    // The same count of the same module again (an orchestrator repeating itself): nothing to
    // restart, only the outcome to tell.
    std::lock_guard lock(mutex_);
    auto it = components_.find(id);
    unchanged = it != components_.end() && it->second.imageRef == command.componentRef &&
                it->second.count == command.maxInstances;
    if (unchanged) {
      it->second.annotations = command.annotations.value_or(lattice::StringMap{});
      runningClaims = it->second.claims;
    }
  }
  if (unchanged && state != StartState::Stored) {
    scaled(runningClaims);
    return {};
  }

  if (lattice::isStateful(command.annotations) && command.maxInstances > 1)
    return failed(fmt::format("a stateful component runs one instance (its state lives in it), not {}",
                              command.maxInstances));
  Result<std::optional<KvBinding>> kv = std::nullopt;
  lattice::RegistryCredentials credentials;
  {
    std::lock_guard lock(mutex_);
    kv = kvBinding(links_.fromSource(id), config_.lattice, configs_);
    credentials = registryCredentials_;
  }
  auto module = fetchModule(command.componentRef, *registry_, credentials);
  if (!module) return failed(module.error().message());
  auto claims = admitModule(*module, config_.policy, std::chrono::system_clock::now());
  if (!claims) return failed(fmt::format("refused by policy: {}", claims.error().message()));
  if (!kv) return failed(kv.error().message());
  std::function<void(runtime::HostFunctions&)> addImports;
  if (*kv) {
    auto store = kvStore(**kv);
    if (!store) return failed(store.error().message());
    addImports = [store = *store](runtime::HostFunctions& host) { host.add(runtime::kvFunctions(*store)); };
  }
  ComponentOptions options{
      .id = id,
      .instances = command.maxInstances,
      .onSuspended = [this, id, ref = command.componentRef](const std::string& reason) {
        spdlog::error("component {} suspended: {}", id, reason);
        publishEvent(lattice::event_type::kComponentSuspended,
                     lattice::ComponentSuspended{.hostId = id_, .componentId = id, .imageRef = ref, .reason = reason}
                         .toJson());
      },
      .addImports = std::move(addImports),
      .metrics = componentMetrics(id)};
  auto component = Component::start(std::move(*module), std::move(options), *engine_);
  if (!component) return failed(component.error().message());
  if (state != StartState::Fresh)
    if (auto restored = restoreStored(id, command.componentRef, **component, state); !restored)
      return failed(restored.error().message());

  Running old;
  {
    std::lock_guard lock(mutex_);
    Running& running = components_[id];
    old.imageRef = running.imageRef;
    old.component = std::move(running.component);
    running.imageRef = command.componentRef;
    running.count = command.maxInstances;
    running.annotations = command.annotations.value_or(lattice::StringMap{});
    running.claims = *claims;
    running.component = std::shared_ptr<Component>(std::move(*component));
    subscribeLocked(id, running);  // the new feeds open, then the old ones close
  }
  old.component.reset();  // finishes the messages it has queued
  if (*claims) publishClaims(**claims);
  scaled(*claims);
  return {};
}

void Host::subscribeLocked(const std::string& componentId, Running& running) {
  std::vector<MessagingBinding> bindings;
  bool servesHttp = false;
  for (const auto& link : links_.fromSource(componentId)) {
    servesHttp = servesHttp || isHttpLink(link);
    if (!isMessagingLink(link)) continue;
    auto binding = messagingBinding(link, configs_);
    if (!binding) {
      spdlog::warn("ignoring link: {}", binding.error().message());
      continue;
    }
    bindings.push_back(std::move(*binding));
  }
  running.feeds = Feeds::open({.nats = *data_, .jetstream = *js_, .subjects = subjects_,
                               .componentId = componentId, .component = running.component,
                               .otherJobSources = servesHttp,
                               .stateful = lattice::isStateful(running.annotations)},
                              bindings);
  updateRoutesLocked();
}

void Host::updateRoutesLocked() {
  if (!http_) return;
  std::vector<HttpRoute> routes;
  for (const auto& [id, running] : components_) {
    for (const auto& link : links_.fromSource(id)) {
      if (!isHttpLink(link)) continue;
      auto binding = httpBinding(link, configs_);
      if (!binding) {
        spdlog::warn("ignoring link: {}", binding.error().message());
        continue;
      }
      auto submit = [component = running.component, destination = binding->destination, data = data_.get()](
                        std::string body, std::function<void(Result<std::string>)> done) {
        component->submit({.input = std::move(body), .done = [=](JobResult result) {
                             if (result && !result->empty() && !destination.empty())  // "" = filtered out
                               if (auto ok = data->publish(destination, *result); !ok)
                                 spdlog::warn("{}", ok.error().message());
                             done(std::move(result));
                           }});
      };
      routes.push_back({.path = binding->path, .mode = binding->mode, .submit = std::move(submit)});
    }
  }
  if (auto ok = http_->setRoutes(std::move(routes)); !ok) spdlog::warn("HTTP routes not changed: {}", ok.error().message());
}

ComponentMetrics Host::componentMetrics(const std::string& componentId) {
  MetricLabels labels{{"component", componentId}};
  auto calls = metrics_.counter("pelato_component_calls_total", "exec_task calls completed (traps included)", labels);
  auto traps = metrics_.counter("pelato_component_traps_total", "exec_task calls that trapped", labels);
  auto latency = metrics_.histogram("pelato_component_call_duration_seconds", "exec_task call latency", labels);
  return {.calls = calls ? *calls : nullptr, .traps = traps ? *traps : nullptr, .latency = latency ? *latency : nullptr};
}

std::string Host::metricsText() {
  auto set = [this](std::string_view name, std::string_view help, MetricLabels labels, double value) {
    if (auto gauge = metrics_.gauge(name, help, std::move(labels))) (*gauge)->set(value);
  };
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, running] : components_) {
      auto counters = running.component->counters();
      MetricLabels labels{{"component", id}};
      set("pelato_component_instances", "warm instances", labels, running.count);
      set("pelato_component_queue_depth", "messages waiting for an instance", labels, static_cast<double>(counters.queueDepth));
      set("pelato_component_restarts", "instances replaced after traps", labels, static_cast<double>(counters.restarts));
      set("pelato_component_suspensions", "times the restart budget ran out", labels, static_cast<double>(counters.suspensions));
    }
  }
  set("pelato_nats_reconnects", "NATS reconnections", {{"connection", "control"}}, static_cast<double>(nats_->reconnects()));
  set("pelato_nats_reconnects", "NATS reconnections", {{"connection", "data"}}, static_cast<double>(data_->reconnects()));
  return metrics_.render();
}

CtlReply Host::linkPut(const Json& body) {
  auto link = lattice::Link::fromJson(body);
  if (!link) return CtlReply::error(link.error().message());
  {
    std::lock_guard lock(mutex_);
    if (isMessagingLink(*link))
      if (auto binding = messagingBinding(*link, configs_); !binding) return CtlReply::error(binding.error().message());
    if (auto binding = kvBinding({*link}, config_.lattice, configs_); !binding)
      return CtlReply::error(binding.error().message());
  }
  if (auto ok = kv_->put(linkKvKey(*link), lattice::dumpJson(link->toJson())); !ok)
    return CtlReply::error(ok.error().message());
  storeLink(*link);  // at once, so a link.get right after the reply sees it; the watch agrees
  publishEvent(lattice::event_type::kLinkdefSet, link->toJson());
  return CtlReply::done();
}

CtlReply Host::linkDel(const Json& body) {
  auto request = lattice::LinkDeleteRequest::fromJson(body);
  if (!request) return CtlReply::error(request.error().message());
  std::string key = linkKvKey(*request);
  std::optional<lattice::Link> removed;  // before deleting: the watch may forget it any moment
  {
    std::lock_guard lock(mutex_);
    for (const auto& link : links_.fromSource(request->sourceId))
      if (linkKvKey(link) == key) removed = link;
  }
  if (auto ok = kv_->del(key); !ok) return CtlReply::error(ok.error().message());
  forgetLink(key);
  lattice::LinkdefDeleted deleted{.sourceId = request->sourceId, .name = request->name,
                                  .witNamespace = request->witNamespace, .witPackage = request->witPackage};
  if (removed) {
    deleted.target = removed->target;
    deleted.interfaces = removed->interfaces;
  }
  publishEvent(lattice::event_type::kLinkdefDeleted, deleted.toJson());
  return CtlReply::done(removed ? "" : "no such link");
}

void Host::storeLink(lattice::Link link) {
  std::lock_guard lock(mutex_);
  auto old = links_.put(link);
  if (old && *old == link) return;
  if (auto it = components_.find(link.sourceId); it != components_.end()) subscribeLocked(it->first, it->second);
}

std::optional<lattice::Link> Host::forgetLink(std::string_view kvKey) {
  std::lock_guard lock(mutex_);
  auto removed = links_.delByKvKey(kvKey);
  if (removed)
    if (auto it = components_.find(removed->sourceId); it != components_.end()) subscribeLocked(it->first, it->second);
  return removed;
}

void Host::storeConfig(const std::string& name, std::optional<lattice::StringMap> values) {
  std::lock_guard lock(mutex_);
  auto it = configs_.find(name);
  if (values ? (it != configs_.end() && it->second == *values) : it == configs_.end()) return;
  if (values) configs_[name] = std::move(*values);
  else configs_.erase(it);
  // Links may name the config: every component's feeds follow (an unchanged feed reopens).
  for (auto& [id, running] : components_) subscribeLocked(id, running);
}

void Host::onKvEntry(lattice::KvEntry entry) {
  if (entry.key.starts_with(kConfigKvPrefix)) {
    std::string name = entry.key.substr(kConfigKvPrefix.size());
    if (entry.deleted) return storeConfig(name, std::nullopt);
    auto json = lattice::parseJson(entry.value);
    auto values = json ? lattice::parseConfigValues(*json) : fail(std::move(json.error()));
    if (!values) return spdlog::warn("ignoring KV entry {}: {}", entry.key, values.error().message());
    return storeConfig(name, std::move(*values));
  }
  if (entry.key.starts_with(kClaimsKvPrefix)) {
    std::string subject = entry.key.substr(kClaimsKvPrefix.size());
    std::lock_guard lock(mutex_);
    if (entry.deleted) {
      claims_.erase(subject);
      return;
    }
    auto json = lattice::parseJson(entry.value);
    auto values = json ? lattice::parseConfigValues(*json) : fail(std::move(json.error()));
    if (!values) return spdlog::warn("ignoring KV entry {}: {}", entry.key, values.error().message());
    claims_[subject] = std::move(*values);
    return;
  }
  if (!entry.key.starts_with(kLinkKvPrefix)) return;
  if (entry.deleted) {
    forgetLink(entry.key);
    return;
  }
  auto json = lattice::parseJson(entry.value);
  if (!json) {
    spdlog::warn("ignoring KV entry {}: {}", entry.key, json.error().message());
    return;
  }
  auto link = lattice::Link::fromJson(*json);
  if (!link) {
    spdlog::warn("ignoring KV entry {}: {}", entry.key, link.error().message());
    return;
  }
  if (linkKvKey(*link) != entry.key) {
    spdlog::warn("ignoring KV entry {}: its link has the key {}", entry.key, linkKvKey(*link));
    return;
  }
  storeLink(std::move(*link));
}

void Host::publishClaims(const security::ComponentClaims& claims) {
  // wasmCloud's claims map: every value a string.
  lattice::StringMap values{{"iss", claims.issuer}, {"sub", claims.subject}, {"name", claims.name.value_or("")},
                            {"version", claims.version.value_or("")},
                            {"rev", std::to_string(claims.revision.value_or(0))},
                            {"call_alias", claims.callAlias.value_or("")}};
  std::string tags;
  for (const auto& tag : claims.tags.value_or(std::vector<std::string>{})) tags += (tags.empty() ? "" : ",") + tag;
  values["tags"] = tags;
  if (auto ok = kv_->put(std::string(kClaimsKvPrefix) + claims.subject, lattice::dumpJson(Json(values))); !ok)
    spdlog::warn("storing the claims of {}: {}", claims.subject, ok.error().message());
  std::lock_guard lock(mutex_);
  claims_[claims.subject] = std::move(values);
}

Result<std::shared_ptr<runtime::KeyValue>> Host::kvStore(const KvBinding& binding) {
  std::lock_guard lock(kvMutex_);
  auto& bucket = kvBuckets_[binding.bucket];
  if (!bucket) {
    auto opened = lattice::LatticeKv::open(*data_, binding.bucket);
    if (!opened) return fail(std::move(opened.error()));
    bucket = std::move(*opened);
  }
  auto store = JetStreamKeyValue::create(*bucket, binding.prefix);
  if (!store) return fail(std::move(store.error()));
  return std::shared_ptr<runtime::KeyValue>(std::move(*store));
}

// --- inventory and heartbeats -------------------------------------------------------------

lattice::Host Host::hostSummary() const {
  auto uptime = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  std::lock_guard lock(mutex_);
  return {.id = id_, .friendlyName = config_.friendlyName, .labels = labels_, .lattice = config_.lattice,
          .uptimeSeconds = uptime, .uptimeHuman = humanDuration(uptime), .version = std::string(kVersion),
          .rpcHost = nats_->url(), .ctlHost = nats_->url()};
}

lattice::HostInventory Host::inventoryLocked() const {
  auto uptime = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  lattice::HostInventory inventory{.hostId = id_, .friendlyName = config_.friendlyName, .labels = labels_,
                                   .version = std::string(kVersion), .uptimeSeconds = uptime,
                                   .uptimeHuman = humanDuration(uptime)};
  for (const auto& [id, running] : components_) {
    auto counters = running.component->counters();
    inventory.components.push_back({.id = id, .imageRef = running.imageRef,
                                    .annotations = running.annotations.empty() ? std::nullopt
                                                                               : std::optional(running.annotations),
                                    .maxInstances = running.count,
                                    .load = lattice::ComponentLoad{.queueDepth = counters.queueDepth}});
  }
  // The built-in providers (wasmCloud runs providers as separate processes; pelato's are part
  // of the host), so that tools looking for a provider by id find them.
  inventory.providers.push_back({.id = "builtin-messaging", .name = "NATS messaging (at-most-once, at-least-once)"});
  inventory.providers.push_back({.id = "builtin-keyvalue", .name = "JetStream key-value"});
  if (httpServer_)
    inventory.providers.push_back(
        {.id = "builtin-http-server", .name = "HTTP server",
         .annotations = lattice::StringMap{{"address", fmt::format("{}:{}", config_.httpAddress, httpServer_->port())}}});
  return inventory;
}

void Host::heartbeatLoop() {
  auto last = std::chrono::steady_clock::now();
  auto lastCpu = processCpuTime();
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  while (true) {
    {
      std::unique_lock lock(stopMutex_);
      if (stopChanged_.wait_for(lock, config_.heartbeat, [&] { return shutDown_; })) return;
    }
    auto now = std::chrono::steady_clock::now();
    double seconds = std::max(1e-3, std::chrono::duration<double>(now - last).count());
    last = now;
    auto cpu = processCpuTime();
    lattice::HostHeartbeat heartbeat;
    lattice::HostLoad load{.cpu = std::clamp(std::chrono::duration<double>(cpu - lastCpu).count() / seconds / cores, 0.0, 1.0)};
    lastCpu = cpu;
    {
      std::lock_guard lock(mutex_);
      heartbeat.inventory = inventoryLocked();
      std::map<std::string, ComponentCounters> current;
      for (auto& description : heartbeat.inventory.components) {
        auto counters = components_.at(description.id).component->counters();
        auto previous = lastCounters_[description.id];
        uint64_t calls = counters.calls >= previous.calls ? counters.calls - previous.calls : counters.calls;
        uint64_t errors = counters.errors >= previous.errors ? counters.errors - previous.errors : counters.errors;
        description.load = lattice::ComponentLoad{.queueDepth = counters.queueDepth,
                                                  .callsPerSecond = static_cast<double>(calls) / seconds,
                                                  .errors = errors};
        load.queueDepth += counters.queueDepth;
        load.callsPerSecond += static_cast<double>(calls) / seconds;
        load.errors += errors;
        current[description.id] = counters;
      }
      lastCounters_ = std::move(current);
    }
    heartbeat.load = load;
    publishEvent(lattice::event_type::kHostHeartbeat, heartbeat.toJson());
  }
}

}  // namespace pelato::host
