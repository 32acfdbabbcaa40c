#include "host/link_store.h"

#include <algorithm>

namespace pelato::host {

namespace {
bool sameKey(const lattice::Link& link, std::string_view source, std::string_view name,
             std::string_view ns, std::string_view package) {
  return link.sourceId == source && link.name == name && link.witNamespace == ns &&
         link.witPackage == package;
}
}  // namespace

std::optional<lattice::Link> LinkStore::put(lattice::Link link) {
  for (auto& existing : links_) {
    if (sameKey(existing, link.sourceId, link.name, link.witNamespace, link.witPackage)) {
      std::optional<lattice::Link> old = std::move(existing);
      existing = std::move(link);
      return old;
    }
  }
  links_.push_back(std::move(link));
  return std::nullopt;
}

std::optional<lattice::Link> LinkStore::del(const lattice::LinkDeleteRequest& r) {
  auto it = std::find_if(links_.begin(), links_.end(), [&](const lattice::Link& link) {
    return sameKey(link, r.sourceId, r.name, r.witNamespace, r.witPackage);
  });
  if (it == links_.end()) return std::nullopt;
  std::optional<lattice::Link> removed = std::move(*it);
  links_.erase(it);
  return removed;
}

std::vector<lattice::Link> LinkStore::fromSource(std::string_view sourceId) const {
  std::vector<lattice::Link> out;
  for (const auto& link : links_)
    if (link.sourceId == sourceId) out.push_back(link);
  return out;
}

}  // namespace pelato::host
