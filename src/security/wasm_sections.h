// The few parts of the wasm binary format that signing needs, kept here because security may
// not depend on the engine (DESIGN.md, dependency rules): walk the top-level sections, read
// custom section names, drop and append custom sections. Only core modules: the component-model
// layer is refused with a message.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::security {

struct WasmSection {
  uint8_t id = 0;            // 0 = custom
  std::string name;          // custom sections only
  size_t start = 0;          // of the section, at its id byte
  size_t contentStart = 0;   // after the size field: where a custom section's name begins
  size_t end = 0;            // one past its last byte
  size_t payloadStart = 0;   // custom sections: after the name; otherwise = contentStart
};

// Every top-level section in order. Fails, with the byte offset, on a bad header, a size that
// runs past the end, an over-long LEB128 or a custom section name that is not UTF-8.
Result<std::vector<WasmSection>> readSections(std::span<const uint8_t> module);

// The module with every custom section named in `names` removed and every other section copied
// as it was except that its size field is re-encoded as minimal LEB128: the byte layout wascap
// (wasm-encoder) produces, over which it computes the module hash.
Result<std::vector<uint8_t>> stripCustomSections(std::span<const uint8_t> module,
                                                 std::span<const std::string_view> names);

// Appends a custom section `name` holding `payload`.
void appendCustomSection(std::vector<uint8_t>& module, std::string_view name, std::span<const uint8_t> payload);

}  // namespace pelato::security
