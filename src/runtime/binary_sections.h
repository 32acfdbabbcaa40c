// A small reader for the parts of the wasm binary format that the interpreter does not keep:
// the section table and custom sections (names, claims).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato::runtime {

struct Section {
  uint8_t id = 0;     // 0 = custom
  std::string name;   // custom sections only
  size_t offset = 0;  // of the payload (after the custom name), from the start of the module
  size_t size = 0;    // of that payload
};

// Walks the section headers; fails with the byte offset of the first inconsistency.
Result<std::vector<Section>> listSections(std::span<const uint8_t> module);

// Function names from a "name" custom section payload (subsection 1); ignores what it cannot read.
std::map<uint32_t, std::string> parseFunctionNames(std::span<const uint8_t> payload);

}  // namespace pelato::runtime
