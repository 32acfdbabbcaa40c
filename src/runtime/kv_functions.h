// Key-value host functions for guests: pelato.kv_get, pelato.kv_set and pelato.kv_del, over a
// KeyValue store the host supplies (the engine knows no network; the host adapts JetStream KV).
// The guest ABI is in docs/PROTOCOL.md, "Guest host functions", and sdk/c/pelato.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/host_function.h"

namespace pelato::runtime {

// The seam between the guest functions and a store. Implementations may be called from several
// instances' threads at once. Keys reaching them already passed validGuestKvKey and values are
// at most kKvMaxValueSize bytes.
class KeyValue {
 public:
  virtual ~KeyValue() = default;
  // The value under `key`, or nullopt when there is none (never set, or deleted).
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  virtual Result<void> set(std::string_view key, std::string_view value) = 0;
  // Deleting a key that does not exist succeeds.
  virtual Result<void> del(std::string_view key) = 0;
};

inline constexpr size_t kKvMaxKeySize = 1024;
inline constexpr size_t kKvMaxValueSize = size_t{1} << 20;  // 1 MiB

// What the guest functions return besides success (the same numbers as PELATO_KV_* in pelato.h).
enum class KvStatus : int32_t {
  Ok = 0,
  NotFound = -1,  // kv_get only
  BadKey = -2,    // see validGuestKvKey
  TooLarge = -3,  // kv_set with a value over kKvMaxValueSize
  Failed = -4,    // the store failed (unreachable, ...); the host logs why
};

// A key every store accepts: 1 to kKvMaxKeySize bytes of [-/_=.a-zA-Z0-9], no leading or
// trailing '.', no empty token (".."). These are JetStream KV's rules, checked here so that a
// guest sees the same answer whatever store backs it.
bool validGuestKvKey(std::string_view key);

// The three imports of module "pelato", bound to `store`, which must outlive every instance
// using them. A pointer range outside the guest's memory traps ("out of bounds memory access").
std::vector<HostFunction> kvFunctions(KeyValue& store);

}  // namespace pelato::runtime
