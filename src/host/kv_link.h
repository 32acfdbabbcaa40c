// The key-value link: a link whose source is a component, with wit_namespace "wasi" and
// wit_package "keyvalue", gives the component the `pelato.kv_*` host functions (a component
// without one cannot import them). Settings (link_settings.h):
//   bucket=NAME   the JetStream KV bucket (default guestKvBucket(lattice): PELATO_KV_<lattice>)
//   prefix=P      stores guest key K as "P.K", to keep components apart in a shared bucket
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "host/link_settings.h"
#include "lattice/messages.h"

namespace pelato::host {

inline constexpr std::string_view kKvNamespace = "wasi";
inline constexpr std::string_view kKvPackage = "keyvalue";

struct KvBinding {
  std::string bucket;
  std::string prefix;

  bool operator==(const KvBinding&) const = default;
};

bool isKvLink(const lattice::Link& link);

// The key-value binding of a component among `links` (those from it), if it has one; fails
// on an invalid bucket name or prefix, or on two key-value links with different settings.
Result<std::optional<KvBinding>> kvBinding(const std::vector<lattice::Link>& links, std::string_view lattice,
                                           const NamedConfigs& configs = {});

}  // namespace pelato::host
