// Generates the C glue compiled next to wasm2c's output: definitions of the module's imports
// that call back into pelato, and uniform entry points (instance size, instantiate, free, one
// trampoline per export) that the AOT tier finds with dlsym; plus, appended to wasm2c's own
// output, accessors to the instance's state for snapshots.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// The state a snapshot carries, in wasm's index spaces (imports first).
struct StateLayout {
  struct Global {
    ValType type;
    bool isMutable;
  };
  std::vector<Global> globals;
  std::vector<ValType> tables;  // element types
  size_t memories = 0;
  size_t functions = 0;
};
StateLayout stateLayout(const Module& module);

// C code appended to wasm2c's module.c (it needs the static functions and func_types there;
// the names wasm2c gave the instance's members are read from that source, not guessed):
//   wasm_rt_memory_t* pelato_memory(void* instance, uint32_t index)       NULL if none
//   void* pelato_table(void* instance, uint32_t index)  a wasm_rt_{funcref,externref}_table_t*
//   int pelato_global_get(void* instance, uint32_t index, uint64_t* bits)  0 unless mutable and
//   int pelato_global_set(void* instance, uint32_t index, uint64_t bits)     numeric
//   int pelato_funcref(void* instance, uint32_t index, wasm_rt_funcref_t* out)  by function index
//   const uint32_t pelato_function_count
// Fails when wasm2c's output is not shaped as expected.
Result<std::string> generateStateAccess(const Module& module, std::string_view wasm2cSource);

}  // namespace pelato::runtime::aot
