// What the AOT tier can do with a module, decided before wasm2c runs (wasm2c 1.0.32 aborts on
// some proposals instead of reporting them).
#pragma once

#include "common/result.h"
#include "runtime/module.h"

namespace pelato::runtime::aot {

struct AotPlan {
  // Explicit bounds checks on every access instead of guard pages. planAot no longer asks for
  // them (far static offsets are checked against the reservation instead, see farOffsets).
  bool explicitBoundsChecks = false;
  // Some static memory offset reaches beyond the guard region: with guard pages, those
  // accesses need the patched MEMCHECK (aot_patches.cc), which is then mandatory.
  bool farOffsets = false;
};

// Fails, naming the feature, for modules wasm2c 1.0.32 cannot translate.
Result<AotPlan> planAot(const Module& module);

}  // namespace pelato::runtime::aot
