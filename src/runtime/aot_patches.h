// Source-level fixes and speed-ups applied to wasm2c 1.0.32's C output before it is compiled.
#pragma once

#include <string>

#include "runtime/aot_support.h"

namespace pelato::runtime::aot {

// Edits wasm2c's module.c in place (each edit is skipped if its pattern is absent):
//  - element segments are applied before data segments, as the spec orders them;
//  - float loads keep their value in an FP register (wasm2c routes it through an integer one);
//  - with guard pages, each function reads the memory descriptor once into a local.
void patchWasm2cOutput(std::string& source, const AotPlan& plan);

}  // namespace pelato::runtime::aot
