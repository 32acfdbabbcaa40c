#include "host/link_store.h"

#include <algorithm>

#include "common/sha256.h"

namespace pelato::host {

namespace {
bool sameKey(const lattice::Link& link, std::string_view source, std::string_view name,
             std::string_view ns, std::string_view package) {
  return link.sourceId == source && link.name == name && link.witNamespace == ns &&
         link.witPackage == package;
}
}  // namespace

std::string linkKvKey(std::string_view sourceId, std::string_view name, std::string_view witNamespace,
                      std::string_view witPackage) {
  std::string tuple = lattice::Json::array({sourceId, name, witNamespace, witPackage}).dump();
  return std::string(kLinkKvPrefix) +
         sha256Hex(std::span(reinterpret_cast<const uint8_t*>(tuple.data()), tuple.size()));
}

std::string linkKvKey(const lattice::Link& link) {
  return linkKvKey(link.sourceId, link.name, link.witNamespace, link.witPackage);
}

std::string linkKvKey(const lattice::LinkDeleteRequest& request) {
  return linkKvKey(request.sourceId, request.name, request.witNamespace, request.witPackage);
}

std::optional<lattice::Link> LinkStore::delByKvKey(std::string_view key) {
  auto it = std::find_if(links_.begin(), links_.end(),
                         [&](const lattice::Link& link) { return linkKvKey(link) == key; });
  if (it == links_.end()) return std::nullopt;
  std::optional<lattice::Link> removed = std::move(*it);
  links_.erase(it);
  return removed;
}

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
