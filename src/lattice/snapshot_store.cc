#include "lattice/snapshot_store.h"

#include <fmt/format.h>

#include <chrono>

#include "common/sha256.h"

namespace pelato::lattice {
namespace {

std::string chunkKey(std::string_view key, const SnapshotRecord& record, uint32_t n) {
  return fmt::format("{}.{}.{}", key, record.slot(), n);
}

std::string hexOf(std::span<const uint8_t> bytes) { return sha256Hex(bytes); }

}  // namespace

Json SnapshotRecord::toJson() const {
  return Json{{"generation", generation}, {"chunks", chunks},       {"bytes", bytes},    {"sha256", sha256},
              {"component_ref", componentRef}, {"host_id", hostId}, {"taken_ms", takenMs}};
}

Result<SnapshotRecord> SnapshotRecord::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("snapshot record"));
  FirstError error;
  SnapshotRecord record;
  record.generation = error.take(o->requiredUnsigned("generation"));
  record.chunks = static_cast<uint32_t>(error.take(o->requiredUnsigned("chunks", UINT32_MAX)));
  record.bytes = error.take(o->requiredUnsigned("bytes"));
  record.sha256 = error.take(o->requiredString("sha256"));
  record.componentRef = error.take(o->string("component_ref"));
  record.hostId = error.take(o->string("host_id"));
  record.takenMs = error.take(o->integerOr("taken_ms", 0));
  if (error) return fail(error.release().context("snapshot record"));
  return record;
}

std::string snapshotBucket(std::string_view lattice) { return fmt::format("PELATO_SNAPSHOTS_{}", lattice); }

std::string snapshotKey(std::string_view componentId) {
  bool plain = !componentId.empty();
  for (unsigned char c : componentId) plain = plain && (std::isalnum(c) || c == '-' || c == '_');
  if (plain) return std::string(componentId);
  return "h_" + sha256Hex({reinterpret_cast<const uint8_t*>(componentId.data()), componentId.size()}).substr(0, 32);
}

Result<std::unique_ptr<SnapshotStore>> SnapshotStore::open(NatsClient& client, std::string_view lattice) {
  auto kv = LatticeKv::open(client, snapshotBucket(lattice));
  if (!kv) return fail(std::move(kv.error()).context("snapshot store"));
  return std::unique_ptr<SnapshotStore>(new SnapshotStore(std::move(*kv)));
}

Result<SnapshotRecord> SnapshotStore::save(std::string_view componentId, std::span<const uint8_t> bytes,
                                           SnapshotRecord record) {
  std::string key = snapshotKey(componentId);
  auto previous = kv_->get(key);
  if (!previous) return fail(std::move(previous.error()));
  std::optional<SnapshotRecord> before;
  if (*previous)
    if (auto json = parseJson(**previous))
      if (auto parsed = SnapshotRecord::fromJson(*json)) before = std::move(*parsed);
  record.generation = before ? before->generation + 1 : 1;
  record.bytes = bytes.size();
  record.chunks = static_cast<uint32_t>((bytes.size() + kChunkBytes - 1) / kChunkBytes);
  record.sha256 = hexOf(bytes);
  record.takenMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::vector<LatticeKv::KeyValue> chunks;
  for (uint32_t n = 0; n < record.chunks; ++n) {
    size_t offset = size_t{n} * kChunkBytes;
    auto chunk = bytes.subspan(offset, std::min(kChunkBytes, bytes.size() - offset));
    chunks.emplace_back(chunkKey(key, record, n),
                        std::string_view(reinterpret_cast<const char*>(chunk.data()), chunk.size()));
  }
  if (auto ok = kv_->putAll(chunks); !ok)
    return fail(std::move(ok.error()).context(fmt::format("storing the {} chunks of a snapshot", record.chunks)));
  if (auto ok = kv_->put(key, dumpJson(record.toJson())); !ok)
    return fail(std::move(ok.error()).context("storing the snapshot record"));
  // The slot's chunks beyond this snapshot's are left over from a bigger one two generations ago.
  for (uint32_t n = record.chunks;; ++n) {
    auto left = kv_->get(chunkKey(key, record, n));
    if (!left || !*left) break;
    (void)kv_->del(chunkKey(key, record, n));
  }
  return record;
}

Result<std::optional<StoredSnapshot>> SnapshotStore::load(std::string_view componentId) {
  std::string key = snapshotKey(componentId);
  // A snapshot written meanwhile may overwrite the chunks being read: read again.
  constexpr int kAttempts = 3;
  std::string lastError;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto value = kv_->get(key);
    if (!value) return fail(std::move(value.error()));
    if (!*value) return std::nullopt;
    auto json = parseJson(**value);
    if (!json) return fail(std::move(json.error()).context("snapshot record of " + std::string(componentId)));
    auto record = SnapshotRecord::fromJson(*json);
    if (!record) return fail(std::move(record.error()));
    StoredSnapshot out{.record = *record};
    std::vector<std::string> keys;
    for (uint32_t n = 0; n < record->chunks; ++n) keys.push_back(chunkKey(key, *record, n));
    auto chunks = kv_->getAll(keys);
    if (!chunks) return fail(std::move(chunks.error()));
    out.bytes.reserve(record->bytes);
    bool complete = true;
    for (const auto& chunk : *chunks) {
      if (!chunk) complete = false;
      else out.bytes.insert(out.bytes.end(), chunk->begin(), chunk->end());
    }
    if (complete && out.bytes.size() == record->bytes && hexOf(out.bytes) == record->sha256) return out;
    lastError = fmt::format("generation {} is incomplete or does not match its sha256", record->generation);
  }
  return fail("snapshot of {} in {}: {}", componentId, kv_->bucket(), lastError);
}

Result<void> SnapshotStore::remove(std::string_view componentId) {
  std::string key = snapshotKey(componentId);
  auto value = kv_->get(key);
  if (!value) return fail(std::move(value.error()));
  if (!*value) return {};
  if (auto json = parseJson(**value))
    if (auto record = SnapshotRecord::fromJson(*json))
      for (uint64_t g : {record->generation, record->generation + 1}) {
        SnapshotRecord slot{.generation = g};
        for (uint32_t n = 0; n < record->chunks; ++n) (void)kv_->del(chunkKey(key, slot, n));
      }
  return kv_->del(key);
}

}  // namespace pelato::lattice
