// A typed client of the lattice control interface (docs/PROTOCOL.md), for the `pelato` control
// commands and anything else that drives hosts: ping, inventory, scale (optionally waiting for
// the outcome event), links, host stop, event tails and request/reply calls into components.
// It speaks only through a NatsClient, so tests can point it at fake responders.
//
// Every failure is a Result whose message names what was asked and says what to do next
// (e.g. "no host N… answered …; `pelato get hosts` lists them").
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/events.h"
#include "lattice/messages.h"
#include "lattice/nats_client.h"
#include "lattice/snapshot_api.h"
#include "lattice/subjects.h"

namespace pelato::lattice {

// How a scale command ended, from the component_scaled / component_scale_failed event.
struct ScaleOutcome {
  std::string acceptedMessage;            // the host's reply message (often "")
  std::optional<ComponentScaled> scaled;  // set when the wait saw component_scaled
};

class CtlClient {
 public:
  // `timeout`: how long a request waits for its reply.
  CtlClient(NatsClient& nats, Subjects subjects,
            std::chrono::milliseconds timeout = std::chrono::seconds(2))
      : nats_(nats), subjects_(std::move(subjects)), timeout_(timeout) {}

  const Subjects& subjects() const { return subjects_; }
  NatsClient& nats() const { return nats_; }

  // host.ping: every host that answers within `window`, sorted by friendly name then id.
  // Replies that do not parse are skipped (the lattice may hold other kinds of hosts).
  Result<std::vector<Host>> pingHosts(std::chrono::milliseconds window);

  // host.get.<host>.
  Result<HostInventory> inventory(std::string_view hostId);

  // component.scale.<host>. Returns once the host accepted the command or, with `waitFor`,
  // once it published component_scaled for the component (component_scale_failed becomes an
  // error carrying the host's reason). The event subscription is made before the command is
  // sent, so a fast host cannot slip its event past the wait.
  Result<ScaleOutcome> scale(const ScaleComponentCommand& command,
                             std::optional<std::chrono::milliseconds> waitFor);

  // link.put / link.del / link.get (answered by one host of the lattice). put and del return
  // the host's message ("" or e.g. "no such link").
  Result<std::string> linkPut(const Link& link);
  Result<std::string> linkDel(const LinkDeleteRequest& request);
  Result<std::vector<Link>> linkGet();

  // label.put.<host> / label.del.<host>: the host publishes labels_changed.
  Result<void> labelPut(std::string_view hostId, const HostLabel& label);
  Result<void> labelDel(std::string_view hostId, std::string_view key);

  // host.stop.<host>: the host acknowledges, then drains and exits.
  Result<std::string> stopHost(std::string_view hostId);

  // component.snapshot.<host> / component.restore.<host> (pelato extensions, snapshot_api.h):
  // they answer once the snapshot is stored, or the component runs with the restored state,
  // which for megabytes of state takes longer than other commands: `timeout` bounds them.
  Result<SnapshotInfo> snapshot(std::string_view hostId, const SnapshotRequest& request,
                                std::chrono::milliseconds timeout);
  Result<SnapshotInfo> restore(std::string_view hostId, const RestoreRequest& request,
                               std::chrono::milliseconds timeout);

  // A request on wasmbus.rpc.<lattice>.<component>: `input` to exec_task, its output back.
  Result<std::string> call(std::string_view componentId, std::string_view input,
                           std::chrono::milliseconds timeout);

  // Every lattice event (or only `type`, a short type such as "host_heartbeat"), parsed.
  // `handler` runs on a nats.c thread, one event at a time; a message that is not a valid
  // CloudEvent reaches it as an error carrying the raw text.
  using EventHandler = std::function<void(Result<CloudEvent> event, const std::string& raw)>;
  Result<NatsSubscription> subscribeEvents(std::optional<std::string> type, EventHandler handler);

 private:
  // Sends a control request and unwraps the CtlReply (success: false becomes an error); `what`
  // names the request in errors and `noReply` is the error when nothing answers in time.
  Result<CtlReply> request(const std::string& subject, std::string_view payload, std::string_view what,
                           std::string_view noReply, std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  std::string noSuchHost(std::string_view hostId) const;

  NatsClient& nats_;
  Subjects subjects_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pelato::lattice
