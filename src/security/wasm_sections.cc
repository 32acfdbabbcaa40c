#include "security/wasm_sections.h"

#include <algorithm>
#include <array>

namespace pelato::security {

namespace {

constexpr std::array<uint8_t, 8> kModuleHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
constexpr std::array<uint8_t, 4> kMagic = {0x00, 0x61, 0x73, 0x6d};

// Reads an unsigned LEB128 u32 at `at`, advancing it; at most 5 bytes, as the spec allows.
Result<uint32_t> readU32(std::span<const uint8_t> bytes, size_t& at) {
  uint64_t value = 0;
  for (int i = 0; i < 5; ++i) {
    if (at >= bytes.size()) return fail("unexpected end of module in a LEB128 number at byte {}", at);
    uint8_t b = bytes[at++];
    value |= uint64_t(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (value > 0xffffffffu) return fail("LEB128 number too large for u32 at byte {}", at - 1);
      return uint32_t(value);
    }
  }
  return fail("LEB128 number longer than 5 bytes at byte {}", at - 1);
}

void writeU32(std::vector<uint8_t>& out, uint32_t value) {
  do {
    uint8_t b = value & 0x7f;
    value >>= 7;
    out.push_back(value ? uint8_t(b | 0x80) : b);
  } while (value);
}

// Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF), as names must be.
bool isUtf8(std::span<const uint8_t> s) {
  constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < s.size()) {
    uint8_t c = s[i];
    size_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 4;
    if (n == 4 || i + n >= s.size() + (n == 0)) return false;  // bad lead byte or truncated
    uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1f) : n == 2 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

Result<std::vector<WasmSection>> readSections(std::span<const uint8_t> module) {
  if (module.size() < kModuleHeader.size() || !std::equal(kMagic.begin(), kMagic.end(), module.begin()))
    return fail("not a WebAssembly module (no \\0asm header)");
  if (!std::equal(kModuleHeader.begin(), kModuleHeader.end(), module.begin())) {
    if (module[4] == 0x0d && module[6] == 0x01)
      return fail("this is a WebAssembly component (component model); only core modules can be signed here");
    return fail("unsupported WebAssembly binary version {:02x}{:02x}{:02x}{:02x} (only version 1 modules)",
                module[4], module[5], module[6], module[7]);
  }
  std::vector<WasmSection> sections;
  size_t at = kModuleHeader.size();
  while (at < module.size()) {
    WasmSection s;
    s.start = at;
    s.id = module[at++];
    auto size = readU32(module, at);
    if (!size) return fail(std::move(size.error()).context(fmt::format("section at byte {}", s.start)));
    s.contentStart = at;
    if (*size > module.size() - at)
      return fail("section at byte {} claims {} bytes but only {} remain (truncated module?)", s.start, *size,
                  module.size() - at);
    s.end = at + *size;
    s.payloadStart = s.contentStart;
    if (s.id == 0) {
      auto content = module.subspan(0, s.end);
      size_t p = s.contentStart;
      auto nameLength = readU32(content, p);
      if (!nameLength) return fail(std::move(nameLength.error()).context(fmt::format("custom section at byte {}", s.start)));
      if (*nameLength > s.end - p)
        return fail("custom section at byte {}: its name runs past the section's end", s.start);
      auto name = module.subspan(p, *nameLength);
      if (!isUtf8(name)) return fail("custom section at byte {}: its name is not UTF-8", s.start);
      s.name.assign(name.begin(), name.end());
      s.payloadStart = p + *nameLength;
    }
    sections.push_back(std::move(s));
    at = sections.back().end;
  }
  return sections;
}

Result<std::vector<uint8_t>> stripCustomSections(std::span<const uint8_t> module,
                                                 std::span<const std::string_view> names) {
  auto sections = readSections(module);
  if (!sections) return fail(std::move(sections.error()));
  std::vector<uint8_t> out(kModuleHeader.begin(), kModuleHeader.end());
  out.reserve(module.size());
  for (const auto& s : *sections) {
    if (s.id == 0 && std::find(names.begin(), names.end(), s.name) != names.end()) continue;
    out.push_back(s.id);
    writeU32(out, uint32_t(s.end - s.contentStart));
    out.insert(out.end(), module.begin() + s.contentStart, module.begin() + s.end);
  }
  return out;
}

void appendCustomSection(std::vector<uint8_t>& module, std::string_view name, std::span<const uint8_t> payload) {
  std::vector<uint8_t> content;
  writeU32(content, uint32_t(name.size()));
  content.insert(content.end(), name.begin(), name.end());
  content.insert(content.end(), payload.begin(), payload.end());
  module.push_back(0);
  writeU32(module, uint32_t(content.size()));
  module.insert(module.end(), content.begin(), content.end());
}

}  // namespace pelato::security
