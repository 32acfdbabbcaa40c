#include "host/messaging_link.h"

#include <cstdlib>
#include <map>

#include "host/link_settings.h"

namespace pelato::host {

namespace {

Result<void> checkSubject(std::string_view what, std::string_view subject) {
  if (subject.empty()) return fail("{}: empty subject", what);
  for (char c : subject)
    if (c <= ' ' || c > '~') return fail("{}: \"{}\" contains whitespace or a control character", what, subject);
  if (subject.front() == '.' || subject.back() == '.' || subject.find("..") != std::string_view::npos)
    return fail("{}: \"{}\" has an empty token", what, subject);
  return {};
}

}  // namespace

bool isMessagingLink(const lattice::Link& link) {
  return link.witNamespace == kMessagingNamespace && link.witPackage == kMessagingPackage;
}

Result<MessagingBinding> messagingBinding(const lattice::Link& link, const NamedConfigs& configs) {
  if (!isMessagingLink(link))
    return fail("not a messaging link (wit_namespace \"{}\", wit_package \"{}\")", link.witNamespace,
                link.witPackage);
  auto values = linkSettings(link, configs);
  MessagingBinding binding{.componentId = link.sourceId};
  auto subs = values.find("subscriptions");
  if (subs == values.end() || subs->second.empty())
    return fail("messaging link from {}: no \"subscriptions=subject,...\" entry in source_config or target_config",
                link.sourceId);
  std::string_view rest = subs->second;
  while (true) {
    auto comma = rest.find(',');
    std::string subject = trimBlanks(rest.substr(0, comma));
    if (auto ok = checkSubject("subscriptions", subject); !ok) return fail(std::move(ok.error()));
    binding.subscriptions.push_back(std::move(subject));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (auto dest = values.find("destination"); dest != values.end() && !dest->second.empty()) {
    if (auto ok = checkSubject("destination", dest->second); !ok) return fail(std::move(ok.error()));
    if (dest->second.find_first_of("*>") != std::string::npos)
      return fail("destination: \"{}\" must not contain wildcards", dest->second);
    binding.destination = dest->second;
  }
  if (auto delivery = values.find("delivery"); delivery != values.end()) {
    if (delivery->second == "at-least-once") binding.delivery = Delivery::AtLeastOnce;
    else if (delivery->second != "at-most-once")
      return fail("delivery: \"{}\" is neither at-least-once nor at-most-once", delivery->second);
  }
  if (auto wait = values.find("ack_wait_ms"); wait != values.end()) {
    char* end = nullptr;
    long long ms = std::strtoll(wait->second.c_str(), &end, 10);
    if (wait->second.empty() || *end != '\0' || ms < 100 || ms > 3'600'000)
      return fail("ack_wait_ms: \"{}\" is not a number of milliseconds between 100 and 3600000", wait->second);
    binding.ackWait = std::chrono::milliseconds(ms);
  }
  return binding;
}

}  // namespace pelato::host
