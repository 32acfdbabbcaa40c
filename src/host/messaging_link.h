// The pelato messaging link (docs/PROTOCOL.md, "pelato messaging link"): a link whose source is
// a component, with wit_namespace "wasmcloud" and wit_package "messaging", binds the component
// to NATS subjects. Its source_config and target_config entries of the form "key=value" are
// inline settings (named configs without "=" are ignored until config.put is implemented):
//   subscriptions=a.b,c.d   subjects whose messages are fed to exec_task (required)
//   destination=out.x       where each result is published (optional)
// target_config entries override source_config ones. Pure.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "lattice/messages.h"

namespace pelato::host {

inline constexpr std::string_view kMessagingNamespace = "wasmcloud";
inline constexpr std::string_view kMessagingPackage = "messaging";

struct MessagingBinding {
  std::string componentId;
  std::vector<std::string> subscriptions;
  std::string destination;  // "" : results only go to a message's reply subject

  bool operator==(const MessagingBinding&) const = default;
};

bool isMessagingLink(const lattice::Link& link);

// The binding a messaging link describes; fails on a missing or invalid subscription list.
Result<MessagingBinding> messagingBinding(const lattice::Link& link);

}  // namespace pelato::host
