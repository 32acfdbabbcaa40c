#include "runtime/binary_sections.h"

#include <optional>

namespace pelato::runtime {
namespace {

// Well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates or code points
// above U+10FFFF.
bool isUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t n = b < 0x80 ? 0 : (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 4;
    if (n == 4 || i + n >= s.size()) return false;
    uint32_t cp = n == 0 ? b : b & (0x3f >> n);
    for (size_t k = 1; k <= n; ++k) {
      auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}

  size_t pos() const { return pos_; }
  bool done() const { return pos_ >= data_.size(); }

  std::optional<uint32_t> u32() {
    uint64_t result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos_ >= data_.size()) return std::nullopt;
      uint8_t b = data_[pos_++];
      result |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return result > UINT32_MAX ? std::nullopt : std::optional<uint32_t>(result);
    }
    return std::nullopt;
  }

  std::optional<uint8_t> byte() {
    if (pos_ >= data_.size()) return std::nullopt;
    return data_[pos_++];
  }

  // A name: length-prefixed, and valid UTF-8 as the spec requires.
  std::optional<std::string> name() {
    auto len = u32();
    if (!len || *len > data_.size() - pos_) return std::nullopt;
    std::string s(reinterpret_cast<const char*>(data_.data() + pos_), *len);
    if (!isUtf8(s)) return std::nullopt;
    pos_ += *len;
    return s;
  }

  bool skip(size_t n) {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Section>> listSections(std::span<const uint8_t> module) {
  static constexpr uint8_t kHeader[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (module.size() < sizeof kHeader || !std::equal(std::begin(kHeader), std::end(kHeader), module.begin()))
    return fail("not a WebAssembly module (bad magic number or version at byte 0)");
  Reader r(module);
  r.skip(sizeof kHeader);
  std::vector<Section> sections;
  while (!r.done()) {
    size_t start = r.pos();
    auto id = r.byte();
    auto size = r.u32();
    if (!id || !size || *size > module.size() - r.pos())
      return fail("section at byte 0x{:x} is truncated", start);
    Section s{.id = *id, .offset = r.pos(), .size = *size};
    if (*id == 0) {
      Reader inner(module.subspan(s.offset, s.size));
      auto name = inner.name();
      if (!name) return fail("custom section at byte 0x{:x} has a malformed name", start);
      s.name = *name;
      s.offset += inner.pos();
      s.size -= inner.pos();
    }
    r.skip(*size);
    sections.push_back(std::move(s));
  }
  return sections;
}

std::map<uint32_t, std::string> parseFunctionNames(std::span<const uint8_t> payload) {
  std::map<uint32_t, std::string> names;
  Reader r(payload);
  while (!r.done()) {
    auto id = r.byte();
    auto size = r.u32();
    if (!id || !size) break;
    size_t end = r.pos() + *size;
    if (*id == 1) {
      auto count = r.u32();
      for (uint32_t i = 0; count && i < *count; ++i) {
        auto index = r.u32();
        auto name = r.name();
        if (!index || !name) return names;
        names[*index] = std::move(*name);
      }
    }
    if (end < r.pos() || !r.skip(end - r.pos())) break;
  }
  return names;
}

}  // namespace pelato::runtime
