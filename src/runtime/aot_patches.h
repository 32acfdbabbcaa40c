// Source-level fixes and speed-ups applied to wasm2c 1.0.32's C output before it is compiled.
#pragma once

#include <string>

#include "runtime/aot_support.h"

namespace pelato::runtime::aot {

// Edits wasm2c's module.c in place (each edit is skipped if its pattern is absent):
//  - element segments are applied before data segments, as the spec orders them;
//  - imported functions placed in tables carry their import's context, not its address;
//  - float loads keep their value in an FP register (wasm2c routes it through an integer one),
//    and need no keep-alive at all where a float store provably uses the value;
//  - integer loads are kept alive through their value (no second load for a memory operand);
//  - with guard pages, each function reads the memory descriptor once into a local, and
//    addresses past the end of the memory's reservation (far static offsets) trap.
// Returns false when a patch the plan or the module needs for correctness found no pattern to
// apply to.
[[nodiscard]] bool patchWasm2cOutput(std::string& source, const AotPlan& plan);

}  // namespace pelato::runtime::aot
