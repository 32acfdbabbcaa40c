#include "lattice/ctl_client.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace pelato::lattice {

namespace {

// nats.c's "no responders" status, as NatsClient::request words it: the subject has no
// subscriber at all (as opposed to a subscriber that is slow).
bool isNoResponders(const Error& error) {
  return error.message().find("no responders") != std::string::npos;
}

// A private reply subject for collecting several replies to one request (host.ping).
std::string newInbox() {
  std::string id = newEventId();
  std::erase(id, '-');
  return "_INBOX.pelato." + id;
}

// The first scale outcome event for one component on one host, handed from nats.c's thread
// to the waiting caller.
class ScaleWaiter {
 public:
  ScaleWaiter(std::string hostId, std::string componentId)
      : hostId_(std::move(hostId)), componentId_(std::move(componentId)) {}

  void onEvent(const NatsMessage& message) {
    auto json = parseJson(message.data);
    if (!json) return;
    auto event = CloudEvent::fromJson(*json);
    if (!event) return;
    std::optional<Result<ComponentScaled>> outcome;
    if (event->latticeType() == event_type::kComponentScaled) {
      auto scaled = ComponentScaled::fromJson(event->data);
      if (scaled && matches(scaled->hostId, scaled->componentId)) outcome = std::move(*scaled);
    } else if (event->latticeType() == event_type::kComponentScaleFailed) {
      auto failed = ComponentScaleFailed::fromJson(event->data);
      if (failed && matches(failed->hostId, failed->componentId))
        outcome = fail("host {} failed to scale component {} to {}: {}", failed->hostId,
                       failed->componentId, failed->maxInstances, failed->error);
    }
    if (!outcome) return;
    std::lock_guard lock(mutex_);
    if (!outcome_) outcome_ = std::move(*outcome);
    changed_.notify_all();
  }

  std::optional<Result<ComponentScaled>> wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return outcome_.has_value(); });
    return outcome_;
  }

 private:
  bool matches(const std::string& hostId, const std::string& componentId) const {
    return hostId == hostId_ && componentId == componentId_;
  }

  std::string hostId_;
  std::string componentId_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Result<ComponentScaled>> outcome_;
};

}  // namespace

Result<CtlReply> CtlClient::request(const std::string& subject, std::string_view payload, std::string_view what,
                                    std::string_view noReply, std::optional<std::chrono::milliseconds> timeout) {
  auto message = nats_.request(subject, payload, timeout.value_or(timeout_));
  if (!message) {
    // A timeout and "no responders" both mean nobody is there to answer: say what to do.
    if (isNoAnswer(message.error())) return fail("{}", noReply);
    return fail(std::move(message.error()).context(what));
  }
  auto reply = decode<CtlReply>(message->data);
  if (!reply) return fail(std::move(reply.error()).context(fmt::format("{} reply", what)));
  if (!reply->success)
    return fail("{} refused: {}", what, reply->message.empty() ? "no reason given" : reply->message);
  return std::move(*reply);
}

std::string CtlClient::noSuchHost(std::string_view hostId) const {
  return fmt::format("no host {} answered on lattice {} within {} ms; `pelato get hosts` lists them",
                     hostId, subjects_.lattice(), timeout_.count());
}

Result<std::vector<Host>> CtlClient::pingHosts(std::chrono::milliseconds window) {
  std::mutex mutex;
  std::vector<Host> hosts;
  std::string inbox = newInbox();
  auto subscription = nats_.subscribe(inbox, [&](NatsMessage message) {
    auto reply = decode<CtlReply>(message.data);
    if (!reply || !reply->success || !reply->response) return;
    auto host = Host::fromJson(*reply->response);
    if (!host) return;
    std::lock_guard lock(mutex);
    hosts.push_back(std::move(*host));
  });
  if (!subscription) return fail(std::move(subscription.error()));
  if (auto ok = nats_.flush(); !ok) return fail(std::move(ok.error()));
  if (auto ok = nats_.publish(subjects_.hostPing(), inbox, ""); !ok) return fail(std::move(ok.error()));
  std::this_thread::sleep_for(window);
  subscription->unsubscribe();  // waits for a handler still running: `hosts` is ours again

  std::ranges::sort(hosts, [](const Host& a, const Host& b) {
    return std::tie(a.friendlyName, a.id) < std::tie(b.friendlyName, b.id);
  });
  return hosts;
}

Result<HostInventory> CtlClient::inventory(std::string_view hostId) {
  auto subject = subjects_.hostGet(hostId);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = request(*subject, "", fmt::format("host.get {}", hostId), noSuchHost(hostId));
  if (!reply) return fail(std::move(reply.error()));
  if (!reply->response) return fail("host {} sent an inventory reply without a response", hostId);
  auto inventory = HostInventory::fromJson(*reply->response);
  if (!inventory) return fail(std::move(inventory.error()).context("host inventory"));
  return std::move(*inventory);
}

Result<ScaleOutcome> CtlClient::scale(const ScaleComponentCommand& command,
                                      std::optional<std::chrono::milliseconds> waitFor) {
  auto subject = subjects_.componentScale(command.hostId);
  if (!subject) return fail(std::move(subject.error()));
  if (auto ok = validateToken("component id", command.componentId); !ok)
    return fail(std::move(ok.error()));

  auto waiter = std::make_shared<ScaleWaiter>(command.hostId, command.componentId);
  std::vector<NatsSubscription> subscriptions;
  if (waitFor) {
    for (auto type : {event_type::kComponentScaled, event_type::kComponentScaleFailed}) {
      auto sub = nats_.subscribe(*subjects_.event(type),
                                 [waiter](NatsMessage m) { waiter->onEvent(m); });
      if (!sub) return fail(std::move(sub.error()));
      subscriptions.push_back(std::move(*sub));
    }
    if (auto ok = nats_.flush(); !ok) return fail(std::move(ok.error()));
  }

  auto reply = request(*subject, encode(command),
                       fmt::format("component.scale {} on host {}", command.componentId, command.hostId),
                       noSuchHost(command.hostId));
  if (!reply) return fail(std::move(reply.error()));
  ScaleOutcome outcome{.acceptedMessage = reply->message};
  if (!waitFor) return outcome;

  auto event = waiter->wait(*waitFor);
  if (!event)
    return fail(
        "host {} accepted scaling component {} but published neither component_scaled nor "
        "component_scale_failed within {} ms; check `pelato get inventory {}`",
        command.hostId, command.componentId, waitFor->count(), command.hostId);
  if (!*event) return fail(std::move(event->error()));
  outcome.scaled = std::move(**event);
  return outcome;
}

Result<std::string> CtlClient::linkPut(const Link& link) {
  auto reply = request(subjects_.linkPut(), encode(link), "link.put",
                       fmt::format("no host answered link.put on lattice {}; is a `pelato host` "
                                   "running there? (`pelato get hosts`)",
                                   subjects_.lattice()));
  if (!reply) return fail(std::move(reply.error()));
  return std::move(reply->message);
}

Result<std::string> CtlClient::linkDel(const LinkDeleteRequest& request) {
  auto reply = this->request(subjects_.linkDel(), encode(request), "link.del",
                             fmt::format("no host answered link.del on lattice {}; is a `pelato "
                                         "host` running there? (`pelato get hosts`)",
                                         subjects_.lattice()));
  if (!reply) return fail(std::move(reply.error()));
  return std::move(reply->message);
}

Result<std::vector<Link>> CtlClient::linkGet() {
  auto reply = request(subjects_.linkGet(), "", "link.get",
                       fmt::format("no host answered link.get on lattice {}; is a `pelato host` "
                                   "running there? (`pelato get hosts`)",
                                   subjects_.lattice()));
  if (!reply) return fail(std::move(reply.error()));
  std::vector<Link> links;
  if (!reply->response) return links;
  if (!reply->response->is_array())
    return fail("link.get reply: response: expected an array, got {}", describeJson(*reply->response));
  for (size_t i = 0; i < reply->response->size(); ++i) {
    auto link = Link::fromJson((*reply->response)[i]);
    if (!link) return fail(std::move(link.error()).context(fmt::format("link.get reply: response[{}]", i)));
    links.push_back(std::move(*link));
  }
  return links;
}

Result<void> CtlClient::labelPut(std::string_view hostId, const HostLabel& label) {
  auto subject = subjects_.labelPut(hostId);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = request(*subject, encode(label), fmt::format("label.put {}", hostId), noSuchHost(hostId));
  if (!reply) return fail(std::move(reply.error()));
  return {};
}

Result<void> CtlClient::labelDel(std::string_view hostId, std::string_view key) {
  auto subject = subjects_.labelDel(hostId);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = request(*subject, encode(HostLabelKey{.key = std::string(key)}), fmt::format("label.del {}", hostId),
                       noSuchHost(hostId));
  if (!reply) return fail(std::move(reply.error()));
  return {};
}

Result<std::string> CtlClient::stopHost(std::string_view hostId) {
  auto subject = subjects_.hostStop(hostId);
  if (!subject) return fail(std::move(subject.error()));
  StopHostCommand command{.hostId = std::string(hostId)};
  auto reply = request(*subject, encode(command), fmt::format("host.stop {}", hostId), noSuchHost(hostId));
  if (!reply) return fail(std::move(reply.error()));
  return std::move(reply->message);
}

namespace {

Result<SnapshotInfo> snapshotInfo(const CtlReply& reply, std::string_view what) {
  if (!reply.response) return fail("{}: the reply has no response", what);
  auto info = SnapshotInfo::fromJson(*reply.response);
  if (!info) return fail(std::move(info.error()).context(what));
  return info;
}

}  // namespace

Result<SnapshotInfo> CtlClient::snapshot(std::string_view hostId, const SnapshotRequest& request,
                                         std::chrono::milliseconds timeout) {
  auto subject = subjects_.componentSnapshot(hostId);
  if (!subject) return fail(std::move(subject.error()));
  auto what = fmt::format("component.snapshot {} on host {}", request.componentId, hostId);
  auto reply = this->request(*subject, encode(request), what, noSuchHost(hostId), timeout);
  if (!reply) return fail(std::move(reply.error()));
  return snapshotInfo(*reply, what);
}

Result<SnapshotInfo> CtlClient::restore(std::string_view hostId, const RestoreRequest& request,
                                        std::chrono::milliseconds timeout) {
  auto subject = subjects_.componentRestore(hostId);
  if (!subject) return fail(std::move(subject.error()));
  auto what = fmt::format("component.restore {} on host {}", request.componentId, hostId);
  auto reply = this->request(*subject, encode(request), what, noSuchHost(hostId), timeout);
  if (!reply) return fail(std::move(reply.error()));
  return snapshotInfo(*reply, what);
}

Result<std::string> CtlClient::call(std::string_view componentId, std::string_view input,
                                    std::chrono::milliseconds timeout) {
  auto subject = subjects_.rpc(componentId);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = nats_.request(*subject, input, timeout);
  if (reply) {
    if (auto error = reply->headers.find(std::string(kCallErrorHeader)); error != reply->headers.end())
      return fail("component {} failed: {}", componentId, error->second);
    return std::move(reply->data);
  }
  if (isNoResponders(reply.error()))
    return fail(
        "component {} is not running anywhere on lattice {} (nothing answers {}); start it with "
        "`pelato scale component`, `pelato get inventory HOST` shows what runs where",
        componentId, subjects_.lattice(), *subject);
  return fail("calling component {}: {}", componentId, reply.error().message());
}

Result<NatsSubscription> CtlClient::subscribeEvents(std::optional<std::string> type,
                                                    EventHandler handler) {
  std::string subject = subjects_.eventWildcard();
  if (type) {
    auto typed = subjects_.event(*type);
    if (!typed) return fail(std::move(typed.error()));
    subject = std::move(*typed);
  }
  return nats_.subscribe(subject, [handler = std::move(handler)](NatsMessage message) {
    auto json = parseJson(message.data);
    if (!json) return handler(fail(std::move(json.error())), message.data);
    handler(CloudEvent::fromJson(*json), message.data);
  });
}

}  // namespace pelato::lattice
