// Stored instance snapshots (runtime/snapshot.h) of stateful components, in the lattice's
// JetStream KV bucket PELATO_SNAPSHOTS_<lattice>, so that any host can restore one: the target
// of a migration, or the host that restarts a component whose host died.
//
// A NATS message is at most 1 MiB by default, so a snapshot is stored in chunks. The key
// `<component>` holds a SnapshotRecord (JSON); its chunks are `<component>.<slot>.<n>`, the slot
// alternating between "a" and "b" with each new snapshot: the chunks go in first, then the
// record, so the last complete snapshot stays readable while the next one is written, and the
// bucket holds at most two snapshots per component. A reader checks the chunks against the
// record's sha256 (a chunk overwritten meanwhile reads as a mismatch, and the read is retried).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "lattice/json_reader.h"
#include "lattice/lattice_kv.h"

namespace pelato::lattice {

struct SnapshotRecord {
  uint64_t generation = 0;   // "generation": 1 for the component's first snapshot
  uint32_t chunks = 0;       // "chunks"
  uint64_t bytes = 0;        // "bytes"
  std::string sha256;        // "sha256": of all the bytes
  std::string componentRef;  // "component_ref": the image it is a snapshot of
  std::string hostId;        // "host_id": where it was taken
  int64_t takenMs = 0;       // "taken_ms": Unix milliseconds

  std::string slot() const { return generation % 2 ? "a" : "b"; }
  Json toJson() const;
  static Result<SnapshotRecord> fromJson(const Json& json);
  bool operator==(const SnapshotRecord&) const = default;
};

struct StoredSnapshot {
  SnapshotRecord record;
  std::vector<uint8_t> bytes;
};

// The bucket's name for a lattice, and a component's record key in it (component ids that are
// not plain [-_a-zA-Z0-9] are hashed).
std::string snapshotBucket(std::string_view lattice);
std::string snapshotKey(std::string_view componentId);

class SnapshotStore {
 public:
  static constexpr size_t kChunkBytes = 512 * 1024;

  // Opens (creating) the lattice's bucket on `client`, which must outlive the store.
  static Result<std::unique_ptr<SnapshotStore>> open(NatsClient& client, std::string_view lattice);

  // Stores `bytes` as the component's newest snapshot; `record` gives componentRef and hostId,
  // the rest is filled in. Returns the stored record.
  Result<SnapshotRecord> save(std::string_view componentId, std::span<const uint8_t> bytes, SnapshotRecord record);
  // The component's newest snapshot; nullopt when none was stored.
  Result<std::optional<StoredSnapshot>> load(std::string_view componentId);
  // Forgets the component's snapshots (an application removed).
  Result<void> remove(std::string_view componentId);

 private:
  explicit SnapshotStore(std::unique_ptr<LatticeKv> kv) : kv_(std::move(kv)) {}
  std::unique_ptr<LatticeKv> kv_;
};

}  // namespace pelato::lattice
