// Resource limits applied to each instance and each call.
#pragma once

#include <chrono>
#include <cstdint>

namespace pelato::runtime {

struct Limits {
  static constexpr uint32_t kWasmPageSize = 65536;

  uint32_t maxMemoryPages = 16384;         // 1 GiB; memory.grow past it returns -1
  std::chrono::milliseconds deadline{0};  // per call; 0: none
  uint64_t fuel = 0;                      // instructions per call; 0: unlimited
  uint32_t maxCallDepth = 10000;          // wasm frames before "call stack exhausted"

  static constexpr uint32_t pagesForMiB(uint64_t mib) {
    return static_cast<uint32_t>(mib * 1024 * 1024 / kWasmPageSize);
  }
};

}  // namespace pelato::runtime
