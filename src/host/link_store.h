// The links a host knows of, kept in memory (until links move to the LATTICEDATA KV bucket).
// A link is identified by (source_id, name, wit_namespace, wit_package), as in wasmCloud: a
// second link.put with the same key replaces the first. Pure; the caller guards concurrency.
#pragma once

#include <optional>
#include <vector>

#include "lattice/messages.h"

namespace pelato::host {

class LinkStore {
 public:
  // Adds or replaces; returns the link it replaced, if any.
  std::optional<lattice::Link> put(lattice::Link link);
  // Removes; returns the removed link, if there was one.
  std::optional<lattice::Link> del(const lattice::LinkDeleteRequest& request);

  const std::vector<lattice::Link>& all() const { return links_; }
  std::vector<lattice::Link> fromSource(std::string_view sourceId) const;

 private:
  std::vector<lattice::Link> links_;
};

}  // namespace pelato::host
