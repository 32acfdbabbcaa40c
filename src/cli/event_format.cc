#include "cli/event_format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>

#include "cli/lattice_format.h"

namespace pelato::cli {

namespace {

using lattice::Json;
namespace type = lattice::event_type;

std::string compactData(const Json& data) {
  std::string text = lattice::dumpJson(data);
  return text.size() <= 200 ? text : text.substr(0, 200) + "…";
}

std::string heartbeatFields(const lattice::HostHeartbeat& h) {
  std::vector<std::string> components;
  for (const auto& c : h.inventory.components) components.push_back(fmt::format("{}:{}", c.id, c.maxInstances));
  std::string out = fmt::format("name={} components={}", quoteIfNeeded(h.inventory.friendlyName),
                                components.empty() ? "-" : fmt::format("{}", fmt::join(components, ",")));
  if (h.load)
    out += fmt::format(" queue={} calls/s={:.1f} errors={}", h.load->queueDepth, h.load->callsPerSecond,
                       h.load->errors);
  return out;
}

// The key fields of a known event type, or nothing if the data does not parse as that type.
std::optional<std::string> typedFields(std::string_view t, const Json& data) {
  auto labels = [](const lattice::StringMap& l) { return quoteIfNeeded(formatLabels(l)); };
  if (t == type::kHostHeartbeat) {
    if (auto h = lattice::HostHeartbeat::fromJson(data)) return heartbeatFields(*h);
  } else if (t == type::kHostStarted) {
    if (auto s = lattice::HostStarted::fromJson(data))
      return fmt::format("name={} labels={} version={}", quoteIfNeeded(s->friendlyName), labels(s->labels),
                         quoteIfNeeded(s->version));
  } else if (t == type::kHostStopped) {
    if (auto s = lattice::HostStopped::fromJson(data)) return fmt::format("reason={}", quoteIfNeeded(s->reason));
  } else if (t == type::kLabelsChanged) {
    if (auto c = lattice::LabelsChanged::fromJson(data)) return fmt::format("labels={}", labels(c->labels));
  } else if (t == type::kComponentScaled) {
    if (auto s = lattice::ComponentScaled::fromJson(data))
      return fmt::format("component={} instances={} ref={}", s->componentId, s->maxInstances,
                         quoteIfNeeded(s->imageRef));
  } else if (t == type::kComponentScaleFailed) {
    if (auto f = lattice::ComponentScaleFailed::fromJson(data))
      return fmt::format("component={} instances={} ref={} error={}", f->componentId, f->maxInstances,
                         quoteIfNeeded(f->imageRef), quoteIfNeeded(f->error));
  } else if (t == type::kLinkdefSet) {
    if (auto l = lattice::Link::fromJson(data))
      return fmt::format("source={} target={} interfaces={} name={}", l->sourceId, l->target,
                         formatWitInterfaces(l->witNamespace, l->witPackage, l->interfaces), l->name);
  } else if (t == type::kLinkdefDeleted) {
    if (auto d = lattice::LinkdefDeleted::fromJson(data))
      return fmt::format("source={} interfaces={}:{} name={}", d->sourceId, d->witNamespace, d->witPackage,
                         d->name);
  }
  return std::nullopt;
}

}  // namespace

std::string shortEventTime(std::string_view time) {
  auto dot = time.find('.');
  if (dot == std::string_view::npos || !time.ends_with('Z') || time.size() - dot < 5) return std::string(time);
  return fmt::format("{}Z", time.substr(0, dot + 4));
}

std::string quoteIfNeeded(std::string_view value) {
  bool plain = !value.empty();
  for (char c : value)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\\') plain = false;
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string formatEvent(const lattice::CloudEvent& event) {
  std::string_view shortType = event.latticeType();
  std::string_view shownType = shortType.empty() ? std::string_view(event.type) : shortType;
  auto fields = shortType.empty() ? std::nullopt : typedFields(shortType, event.data);
  std::string details = fields ? *fields : "data=" + compactData(event.data);
  return fmt::format("{} {:<22} {} {}", shortEventTime(event.time), shownType, event.source, details);
}

}  // namespace pelato::cli
