// A bounds-checked view of an instance's linear memory, valid for the duration of one host call.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace pelato::runtime {

class GuestMemory {
 public:
  GuestMemory() = default;
  explicit GuestMemory(std::span<uint8_t> bytes) : bytes_(bytes) {}

  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

  // The guest range [addr, addr+len), or nothing when any of it is out of bounds.
  std::optional<std::span<uint8_t>> range(uint64_t addr, uint64_t len) const {
    if (addr > bytes_.size() || len > bytes_.size() - addr) return std::nullopt;
    return bytes_.subspan(addr, len);
  }

  std::optional<std::string_view> string(uint64_t addr, uint64_t len) const {
    auto r = range(addr, len);
    if (!r) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(r->data()), r->size());
  }

  // Little-endian loads and stores (wasm byte order; hosts here are little-endian).
  template <typename T>
  std::optional<T> load(uint64_t addr) const {
    auto r = range(addr, sizeof(T));
    if (!r) return std::nullopt;
    T v;
    std::memcpy(&v, r->data(), sizeof(T));
    return v;
  }

  template <typename T>
  bool store(uint64_t addr, T v) const {
    auto r = range(addr, sizeof(T));
    if (!r) return false;
    std::memcpy(r->data(), &v, sizeof(T));
    return true;
  }

  bool write(uint64_t addr, std::span<const uint8_t> data) const {
    auto r = range(addr, data.size());
    if (!r) return false;
    if (!data.empty()) std::memcpy(r->data(), data.data(), data.size());
    return true;
  }

 private:
  std::span<uint8_t> bytes_;
};

}  // namespace pelato::runtime
