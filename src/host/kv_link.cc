#include "host/kv_link.h"

#include "host/kv_store.h"
#include "host/link_settings.h"
#include "lattice/lattice_kv.h"

namespace pelato::host {
namespace {

// JetStream bucket names: letters, digits, '-' and '_'.
bool validBucket(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace

bool isKvLink(const lattice::Link& link) {
  return link.witNamespace == kKvNamespace && link.witPackage == kKvPackage;
}

Result<std::optional<KvBinding>> kvBinding(const std::vector<lattice::Link>& links, std::string_view lattice,
                                           const NamedConfigs& configs) {
  std::optional<KvBinding> found;
  for (const auto& link : links) {
    if (!isKvLink(link)) continue;
    auto settings = linkSettings(link, configs);
    KvBinding binding{.bucket = settings.contains("bucket") ? settings["bucket"] : guestKvBucket(lattice),
                      .prefix = settings["prefix"]};
    if (!validBucket(binding.bucket))
      return fail("key-value link from {}: bucket \"{}\" may only have letters, digits, '-' and '_'", link.sourceId,
                  binding.bucket);
    if (!binding.prefix.empty() && !lattice::validKvKey(binding.prefix))
      return fail("key-value link from {}: prefix \"{}\" is not a valid KV key", link.sourceId, binding.prefix);
    if (found && *found != binding)
      return fail("component {} has two key-value links with different settings; delete one", link.sourceId);
    found = std::move(binding);
  }
  return found;
}

}  // namespace pelato::host
