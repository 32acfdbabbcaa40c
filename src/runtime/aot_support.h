// What the AOT tier can do with a module, decided before wasm2c runs (wasm2c 1.0.32 aborts on
// some proposals instead of reporting them).
#pragma once

#include "common/result.h"
#include "runtime/module.h"

namespace pelato::runtime::aot {

struct AotPlan {
  // Static memory offsets beyond the guard region need explicit bounds checks.
  bool explicitBoundsChecks = false;
};

// Fails, naming the feature, for modules wasm2c 1.0.32 cannot translate.
Result<AotPlan> planAot(const Module& module);

}  // namespace pelato::runtime::aot
