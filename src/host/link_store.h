// The links a host knows of, kept in memory: a host's copy of the links in the lattice's KV
// bucket LATTICEDATA_<lattice>, which it watches. A link is identified by (source_id, name,
// wit_namespace, wit_package), as in wasmCloud: a second link.put with the same key replaces
// the first. Pure; the caller guards concurrency.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/messages.h"

namespace pelato::host {

// The link's key in the KV bucket (docs/PROTOCOL.md): "LINKDEF_" + the lowercase hex SHA-256 of
// the JSON array [source_id, name, wit_namespace, wit_package] (compact, as nlohmann dumps it).
std::string linkKvKey(std::string_view sourceId, std::string_view name, std::string_view witNamespace,
                      std::string_view witPackage);
std::string linkKvKey(const lattice::Link& link);
std::string linkKvKey(const lattice::LinkDeleteRequest& request);
inline constexpr std::string_view kLinkKvPrefix = "LINKDEF_";

class LinkStore {
 public:
  // Adds or replaces; returns the link it replaced, if any.
  std::optional<lattice::Link> put(lattice::Link link);
  // Removes; returns the removed link, if there was one.
  std::optional<lattice::Link> del(const lattice::LinkDeleteRequest& request);
  // Removes the link whose linkKvKey() is `key`; returns it, if there was one.
  std::optional<lattice::Link> delByKvKey(std::string_view key);

  const std::vector<lattice::Link>& all() const { return links_; }
  std::vector<lattice::Link> fromSource(std::string_view sourceId) const;

 private:
  std::vector<lattice::Link> links_;
};

}  // namespace pelato::host
