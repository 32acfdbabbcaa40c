#include "host/kv_store.h"

namespace pelato::host {

std::string guestKvBucket(std::string_view lattice) { return fmt::format("PELATO_KV_{}", lattice); }

Result<std::unique_ptr<JetStreamKeyValue>> JetStreamKeyValue::create(lattice::LatticeKv& kv, std::string prefix) {
  if (!prefix.empty() && !runtime::validGuestKvKey(prefix))
    return fail("invalid key-value prefix \"{}\": use letters, digits and -/_=. (not at either end)", prefix);
  return std::unique_ptr<JetStreamKeyValue>(new JetStreamKeyValue(kv, std::move(prefix)));
}

std::string JetStreamKeyValue::storedKey(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : fmt::format("{}.{}", prefix_, key);
}

Result<std::optional<std::string>> JetStreamKeyValue::get(std::string_view key) {
  return kv_.get(storedKey(key));
}

Result<void> JetStreamKeyValue::set(std::string_view key, std::string_view value) {
  auto revision = kv_.put(storedKey(key), value);
  if (!revision) return fail(std::move(revision.error()));
  return {};
}

Result<void> JetStreamKeyValue::del(std::string_view key) { return kv_.del(storedKey(key)); }

}  // namespace pelato::host
