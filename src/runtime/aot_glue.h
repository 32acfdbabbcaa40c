// Generates the C glue compiled next to wasm2c's output: definitions of the module's imports
// that call back into pelato, and uniform entry points (instance size, instantiate, free, one
// trampoline per export) that the AOT tier finds with dlsym.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/module.h"

namespace pelato::runtime::aot {

// wasm2c 1.0.32's name mangling: letters, digits and '_' stay, except 'Z', which like every
// other byte becomes "Z" + two uppercase hex digits; the result is prefixed with "Z_".
std::string mangle(std::string_view name);

// The module name given to wasm2c (-n) for every artifact.
inline constexpr std::string_view kModuleName = "m";

// Whether values of this signature can pass between pelato and compiled code (multi-value
// results with references and v128 values cannot). Such exports are left out of the glue and
// such imports refuse to be called.
bool carriable(const FuncType& type);

Result<std::string> generateGlue(const Module& module);

}  // namespace pelato::runtime::aot
