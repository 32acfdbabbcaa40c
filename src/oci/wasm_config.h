// The config blob of a wasm artifact (`application/vnd.wasm.config.v0+json`) (pure).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::oci {

struct WasmConfig {
  std::string created;                    // RFC 3339, UTC; optional
  std::string architecture = "wasm";      // always "wasm"
  std::string os = "wasip1";              // wasip1 for core modules
  std::vector<std::string> layerDigests;  // the digests of the module layers, in order

  bool operator==(const WasmConfig&) const = default;
};

// Largest config blob pelato reads.
inline constexpr size_t kMaxConfigBytes = 1 << 20;

std::string serializeWasmConfig(const WasmConfig& config);

// Strict on the fields it knows (types, `architecture` = wasm, valid digests); other fields are
// ignored, so configs written by other tools still parse.
Result<WasmConfig> parseWasmConfig(std::string_view json);

}  // namespace pelato::oci
