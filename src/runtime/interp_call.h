// Calls into libwabt's interpreter with a budget: the call runs in slices of instructions and
// stops with a Deadline trap when its instruction budget or wall-clock deadline is spent.
#pragma once

#include <chrono>
#include <expected>
#include <optional>

#include <wabt/interp/interp.h>

#include "runtime/trap.h"

namespace pelato::runtime {

struct CallBudget {
  uint64_t fuel = 0;  // instructions; 0: unlimited
  std::optional<std::chrono::steady_clock::time_point> deadline;
  uint32_t maxCallDepth = 10000;
};

struct InterpTrap {
  Trap trap;
  wabt::interp::Ref function = wabt::interp::Ref::Null;  // the function executing when it trapped
};

// `hostTrap` is where host functions leave a pelato Trap (proc_exit, host errors) before they
// make the interpreter unwind; it takes precedence over the interpreter's own message.
std::expected<wabt::interp::Values, InterpTrap> callWithBudget(wabt::interp::Store& store,
                                                               const wabt::interp::Func::Ptr& func,
                                                               const wabt::interp::Values& params,
                                                               const CallBudget& budget,
                                                               std::optional<Trap>* hostTrap);

}  // namespace pelato::runtime
