// A JetStream key-value bucket (the lattice's LATTICEDATA_<lattice>, docs/PROTOCOL.md), through
// nats.c: open it (creating it if missing), get, put, delete, and watch every key.
//
// A watch runs a thread of its own: it first delivers every key's current value (a key whose
// last operation was a delete may come as a delete marker), then calls onCaughtUp once, then delivers each later put or delete as it
// happens (deletes and purges as entries with `deleted` set and no value). Destroying the
// watch stops that thread and waits for a callback in progress; do not destroy it from its own
// callback. Destroy watches before their LatticeKv, and the LatticeKv before its NatsClient.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>
#include <string>
#include <string_view>
#include <thread>

#include "common/result.h"
#include "lattice/nats_client.h"

struct __jsCtx;
struct __kvStore;

namespace pelato::lattice {

struct KvEntry {
  std::string key;
  std::string value;  // "" for a delete
  uint64_t revision = 0;
  bool deleted = false;  // a delete or purge marker
};

// Whether `key` is a valid KV key: non-empty, [-/_=.a-zA-Z0-9], not starting or ending in `.`.
bool validKvKey(std::string_view key);

class KvWatch {
 public:
  KvWatch(const KvWatch&) = delete;
  KvWatch& operator=(const KvWatch&) = delete;
  ~KvWatch();  // stops the thread

  struct State;

 private:
  friend class LatticeKv;
  explicit KvWatch(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  std::thread thread_;
};

class LatticeKv {
 public:
  // Opens `bucket` on `client`'s connection, creating it (history 1, file storage) if missing.
  // Fails if the server has no JetStream. `client` must outlive the returned object.
  static Result<std::unique_ptr<LatticeKv>> open(NatsClient& client, std::string bucket);

  LatticeKv(const LatticeKv&) = delete;
  LatticeKv& operator=(const LatticeKv&) = delete;
  ~LatticeKv();

  const std::string& bucket() const { return bucket_; }

  // The key's current value; nullopt when it has none (never put, or deleted).
  Result<std::optional<std::string>> get(std::string_view key);
  // The key's current value with its revision (for update()); nullopt as for get().
  Result<std::optional<KvEntry>> entry(std::string_view key);
  // Returns the new revision.
  Result<uint64_t> put(std::string_view key, std::string_view value);
  // Many values at once (megabytes in chunks): all are sent before any acknowledgement is
  // awaited, so the lot costs about one round trip rather than one each. Fails if any is not
  // stored within `timeout`. Not concurrently with another putAll on this bucket object.
  using KeyValue = std::pair<std::string, std::string_view>;
  Result<void> putAll(std::span<const KeyValue> entries, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Values of many keys, fetched `inFlight` at a time (nullopt for a key without one).
  Result<std::vector<std::optional<std::string>>> getAll(std::span<const std::string> keys, size_t inFlight = 8);
  // Writes a delete marker (watchers see it); deleting a missing key succeeds.
  Result<void> del(std::string_view key);

  // Compare-and-set writes, for values with one writer at a time (e.g. a leader lease). Both
  // return the new revision, or nullopt when another writer got there first: create() when the
  // key already has a value, update() when its revision is no longer `expected`.
  Result<std::optional<uint64_t>> create(std::string_view key, std::string_view value);
  Result<std::optional<uint64_t>> update(std::string_view key, std::string_view value, uint64_t expected);

  using EntryHandler = std::function<void(KvEntry)>;
  // See the top of this file. Exceptions from the callbacks are logged and swallowed.
  Result<std::unique_ptr<KvWatch>> watchAll(EntryHandler onEntry, std::function<void()> onCaughtUp = nullptr);

 private:
  LatticeKv(__jsCtx* js, __kvStore* kv, std::string bucket, std::unique_ptr<std::atomic<uint64_t>> asyncErrors)
      : js_(js), kv_(kv), bucket_(std::move(bucket)), asyncErrors_(std::move(asyncErrors)) {}
  __jsCtx* js_;
  __kvStore* kv_;
  std::string bucket_;
  std::unique_ptr<std::atomic<uint64_t>> asyncErrors_;  // putAll's refused publishes (nats.c's handler)
};

}  // namespace pelato::lattice
