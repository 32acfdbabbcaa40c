// An instance's complete state between two calls — linear memories, mutable globals, tables —
// as bytes that mean the same on any CPU (issue 10: stateful migration, also x86-64 ↔ aarch64).
// Pure: the engine tiers fill and apply an InstanceSnapshot; this file only encodes and
// decodes it.
//
// Format, version 1, every integer little-endian:
//   "PELATOSN"  magic (8 bytes)          u32 version = 1
//   32 bytes    SHA-256 of the module (a snapshot restores only into the same module)
//   u32 memories; each: u32 pages, u32 stored pages, then per stored page (ascending, no repeats)
//               u32 page index + 65536 bytes — pages of zeros are not stored
//   u32 globals;  each: u32 global index, u8 type (0 i32, 1 i64, 2 f32, 3 f64), u64 bits
//   u32 tables;   each: u32 table index, u32 size, then per element u32 function index or
//               0xFFFFFFFF for null
//   32 bytes    SHA-256 of everything before it
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/sha256.h"
#include "runtime/value.h"

namespace pelato::runtime {

inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr uint64_t kWasmPageBytes = 65536;

struct MemorySnapshot {
  uint32_t pages = 0;
  std::vector<uint8_t> bytes;  // pages * 64 KiB
  bool operator==(const MemorySnapshot&) const = default;
};

struct GlobalSnapshot {
  uint32_t index = 0;  // in the module's global index space
  ValType type = ValType::I32;  // i32, i64, f32 or f64
  uint64_t bits = 0;
  bool operator==(const GlobalSnapshot&) const = default;
};

struct TableSnapshot {
  uint32_t index = 0;
  std::vector<std::optional<uint32_t>> functions;  // function index per element, nullopt = null
  bool operator==(const TableSnapshot&) const = default;
};

struct InstanceSnapshot {
  Sha256 moduleDigest{};
  std::vector<MemorySnapshot> memories;
  std::vector<GlobalSnapshot> globals;
  std::vector<TableSnapshot> tables;
  bool operator==(const InstanceSnapshot&) const = default;
};

struct SnapshotLimits {
  uint64_t maxMemoryBytes = 4ull << 30;  // per memory: wasm32's 4 GiB
};

std::vector<uint8_t> encodeSnapshot(const InstanceSnapshot& snapshot);

// Refuses anything that is not exactly a version-1 snapshot: wrong magic, another version
// (named), a checksum mismatch, truncation, trailing bytes, pages out of order or beyond the
// memory, a memory over the limit, an unknown global type. Errors give the byte offset.
Result<InstanceSnapshot> decodeSnapshot(std::span<const uint8_t> bytes, const SnapshotLimits& limits = {});

}  // namespace pelato::runtime
