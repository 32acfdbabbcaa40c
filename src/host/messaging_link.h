// The pelato messaging link (docs/PROTOCOL.md, "pelato messaging link"): a link whose source is
// a component, with wit_namespace "wasmcloud" and wit_package "messaging", binds the component
// to NATS subjects. Its settings (link_settings.h):
//   subscriptions=a.b,c.d   subjects whose messages are fed to exec_task (required)
//   destination=out.x       where each result is published (optional)
//   delivery=at-least-once  or at-most-once (the default): see Delivery
//   ack_wait_ms=30000       at-least-once: how long a message may run before it is redelivered
// Pure.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"
#include "host/link_settings.h"
#include "lattice/messages.h"

namespace pelato::host {

inline constexpr std::string_view kMessagingNamespace = "wasmcloud";
inline constexpr std::string_view kMessagingPackage = "messaging";

// at-most-once: core NATS queue subscriptions, fastest; a message in flight on a host that dies
// is lost. at-least-once: each subscription subject and the destination are captured by a
// JetStream stream, replicas share a durable pull consumer, a message is acknowledged only
// after its result is stored in the destination stream (with a Nats-Msg-Id derived from the
// input's stream sequence, so a rerun after a crash is not stored twice).
enum class Delivery { AtMostOnce, AtLeastOnce };

struct MessagingBinding {
  std::string componentId;
  std::vector<std::string> subscriptions;
  std::string destination;  // "" : results only go to a message's reply subject
  Delivery delivery = Delivery::AtMostOnce;
  std::chrono::milliseconds ackWait{30'000};

  bool operator==(const MessagingBinding&) const = default;
};

bool isMessagingLink(const lattice::Link& link);

// The binding a messaging link describes; fails on a missing or invalid subscription list.
Result<MessagingBinding> messagingBinding(const lattice::Link& link, const NamedConfigs& configs = {});

}  // namespace pelato::host
