// The wasm-rt.h that pelato gives to wasm2c output: the API wasm2c 1.0.32 expects, backed
// by pelato's own runtime (aot_rt.cc), not by wabt's wasm-rt-impl.c.
#pragma once

#include <string_view>

namespace pelato::runtime::aot {

// Bumped whenever the glue ABI or the patches to wasm2c output change; with a hash of the
// header, part of every artifact's cache key.
inline constexpr int kAbiVersion = 10;  // 10: imported functions in tables get their context

std::string_view wasmRtHeader();

}  // namespace pelato::runtime::aot
