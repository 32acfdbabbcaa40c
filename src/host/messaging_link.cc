#include "host/messaging_link.h"

#include <map>

namespace pelato::host {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

void readInline(const std::vector<std::string>& entries, std::map<std::string, std::string>& out) {
  for (const auto& entry : entries) {
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    out[trim(std::string_view(entry).substr(0, eq))] = trim(std::string_view(entry).substr(eq + 1));
  }
}

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

Result<MessagingBinding> messagingBinding(const lattice::Link& link) {
  if (!isMessagingLink(link))
    return fail("not a messaging link (wit_namespace \"{}\", wit_package \"{}\")", link.witNamespace,
                link.witPackage);
  std::map<std::string, std::string> values;
  readInline(link.sourceConfig, values);
  readInline(link.targetConfig, values);
  MessagingBinding binding{.componentId = link.sourceId};
  auto subs = values.find("subscriptions");
  if (subs == values.end() || subs->second.empty())
    return fail("messaging link from {}: no \"subscriptions=subject,...\" entry in source_config or target_config",
                link.sourceId);
  std::string_view rest = subs->second;
  while (true) {
    auto comma = rest.find(',');
    std::string subject = trim(rest.substr(0, comma));
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
  return binding;
}

}  // namespace pelato::host
