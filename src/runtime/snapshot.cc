#include "runtime/snapshot.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace pelato::runtime {
namespace {

constexpr std::string_view kMagic = "PELATOSN";
constexpr uint32_t kNullFunction = 0xFFFFFFFF;

class Writer {
 public:
  void bytes(std::span<const uint8_t> data) { out_.insert(out_.end(), data.begin(), data.end()); }
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t>& out() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  size_t offset() const { return pos_; }
  size_t left() const { return in_.size() - pos_; }

  Result<std::span<const uint8_t>> bytes(size_t n, std::string_view what) {
    if (n > left()) return fail("snapshot truncated at byte {}: {} needs {} bytes, {} left", pos_, what, n, left());
    auto out = in_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  // A little-endian unsigned integer of T's size.
  template <typename T>
  Result<T> le(std::string_view what) {
    auto b = bytes(sizeof(T), what);
    if (!b) return fail(std::move(b.error()));
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= T{(*b)[i]} << (8 * i);
    return v;
  }
  Result<uint8_t> u8(std::string_view what) { return le<uint8_t>(what); }
  Result<uint32_t> u32(std::string_view what) { return le<uint32_t>(what); }
  Result<uint64_t> u64(std::string_view what) { return le<uint64_t>(what); }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

std::optional<uint8_t> typeCode(ValType type) {
  switch (type) {
    case ValType::I32: return 0;
    case ValType::I64: return 1;
    case ValType::F32: return 2;
    case ValType::F64: return 3;
    default: return std::nullopt;
  }
}

bool zeroPage(std::span<const uint8_t> page) {
  return std::all_of(page.begin(), page.end(), [](uint8_t b) { return b == 0; });
}

#define PELATO_TRY(var, expr)                        \
  auto var = (expr);                                 \
  if (!var) return fail(std::move(var.error()))

Result<MemorySnapshot> readMemory(Reader& r, const SnapshotLimits& limits) {
  size_t at = r.offset();
  PELATO_TRY(pages, r.u32("a memory's page count"));
  if (*pages * kWasmPageBytes > limits.maxMemoryBytes)
    return fail("snapshot byte {}: a memory of {} pages is over the limit of {} bytes", at, *pages,
                limits.maxMemoryBytes);
  PELATO_TRY(stored, r.u32("a memory's stored page count"));
  if (*stored > *pages) return fail("snapshot byte {}: {} stored pages in a memory of {}", at, *stored, *pages);
  // Every stored page takes 4 + 64 KiB: a count the bytes cannot hold is refused before allocating.
  if (uint64_t{*stored} * (4 + kWasmPageBytes) > r.left())
    return fail("snapshot truncated at byte {}: {} stored pages do not fit in {} bytes", r.offset(), *stored, r.left());
  MemorySnapshot memory{.pages = *pages};
  memory.bytes.assign(*pages * kWasmPageBytes, 0);
  std::optional<uint32_t> previous;
  for (uint32_t i = 0; i < *stored; ++i) {
    size_t pageAt = r.offset();
    PELATO_TRY(index, r.u32("a page index"));
    if (*index >= *pages || (previous && *index <= *previous))
      return fail("snapshot byte {}: page {} is out of order or beyond the memory's {} pages", pageAt, *index, *pages);
    previous = *index;
    PELATO_TRY(data, r.bytes(kWasmPageBytes, "a page"));
    std::memcpy(memory.bytes.data() + *index * kWasmPageBytes, data->data(), kWasmPageBytes);
  }
  return memory;
}

}  // namespace

std::vector<uint8_t> encodeSnapshot(const InstanceSnapshot& s) {
  Writer w;
  w.bytes({reinterpret_cast<const uint8_t*>(kMagic.data()), kMagic.size()});
  w.u32(kSnapshotVersion);
  w.bytes(s.moduleDigest);
  w.u32(static_cast<uint32_t>(s.memories.size()));
  for (const auto& m : s.memories) {
    std::span<const uint8_t> bytes(m.bytes);
    std::vector<uint32_t> stored;
    for (uint32_t p = 0; p < m.pages && (p + 1) * kWasmPageBytes <= bytes.size(); ++p)
      if (!zeroPage(bytes.subspan(p * kWasmPageBytes, kWasmPageBytes))) stored.push_back(p);
    w.u32(m.pages);
    w.u32(static_cast<uint32_t>(stored.size()));
    for (uint32_t p : stored) {
      w.u32(p);
      w.bytes(bytes.subspan(p * kWasmPageBytes, kWasmPageBytes));
    }
  }
  w.u32(static_cast<uint32_t>(s.globals.size()));
  for (const auto& g : s.globals) {
    w.u32(g.index);
    w.u8(typeCode(g.type).value_or(0xFF));  // the engines only snapshot numeric globals
    w.u64(g.bits);
  }
  w.u32(static_cast<uint32_t>(s.tables.size()));
  for (const auto& t : s.tables) {
    w.u32(t.index);
    w.u32(static_cast<uint32_t>(t.functions.size()));
    for (const auto& f : t.functions) w.u32(f.value_or(kNullFunction));
  }
  auto checksum = sha256(w.out());
  w.bytes(checksum);
  return std::move(w.out());
}

Result<InstanceSnapshot> decodeSnapshot(std::span<const uint8_t> bytes, const SnapshotLimits& limits) {
  if (bytes.size() < kMagic.size() + 4 + 32 + 12 + 32)
    return fail("not a pelato snapshot: {} bytes is too short", bytes.size());
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
    return fail("not a pelato snapshot (no \"{}\" magic)", kMagic);
  auto body = bytes.first(bytes.size() - 32);
  auto expected = sha256(body);
  if (!std::equal(expected.begin(), expected.end(), bytes.end() - 32))
    return fail("snapshot checksum mismatch: the bytes were damaged or cut short");
  Reader r(body);
  (void)r.bytes(kMagic.size(), "magic");
  PELATO_TRY(version, r.u32("the version"));
  if (*version != kSnapshotVersion)
    return fail("snapshot version {} is not supported (this pelato reads version {})", *version, kSnapshotVersion);
  InstanceSnapshot s;
  PELATO_TRY(digest, r.bytes(32, "the module digest"));
  std::copy(digest->begin(), digest->end(), s.moduleDigest.begin());

  PELATO_TRY(memories, r.u32("the memory count"));
  for (uint32_t i = 0; i < *memories; ++i) {
    PELATO_TRY(memory, readMemory(r, limits));
    s.memories.push_back(std::move(*memory));
  }
  PELATO_TRY(globals, r.u32("the global count"));
  if (uint64_t{*globals} * 13 > r.left())
    return fail("snapshot truncated at byte {}: {} globals do not fit", r.offset(), *globals);
  for (uint32_t i = 0; i < *globals; ++i) {
    PELATO_TRY(index, r.u32("a global index"));
    size_t typeAt = r.offset();
    PELATO_TRY(code, r.u8("a global type"));
    if (*code > 3) return fail("snapshot byte {}: unknown global type {}", typeAt, *code);
    PELATO_TRY(value, r.u64("a global value"));
    constexpr ValType kTypes[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64};
    s.globals.push_back({.index = *index, .type = kTypes[*code], .bits = *value});
  }
  PELATO_TRY(tables, r.u32("the table count"));
  for (uint32_t i = 0; i < *tables; ++i) {
    PELATO_TRY(index, r.u32("a table index"));
    PELATO_TRY(size, r.u32("a table size"));
    if (uint64_t{*size} * 4 > r.left())
      return fail("snapshot truncated at byte {}: a table of {} elements does not fit", r.offset(), *size);
    TableSnapshot table{.index = *index};
    table.functions.reserve(*size);
    for (uint32_t e = 0; e < *size; ++e) {
      PELATO_TRY(f, r.u32("a table element"));
      table.functions.push_back(*f == kNullFunction ? std::nullopt : std::optional<uint32_t>(*f));
    }
    s.tables.push_back(std::move(table));
  }
  if (r.left() != 0) return fail("snapshot byte {}: {} unexpected bytes after the tables", r.offset(), r.left());
  return s;
}

#undef PELATO_TRY

}  // namespace pelato::runtime
