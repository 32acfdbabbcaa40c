// The command ABI: a WASI program's `_start`, with stdio, args, env and preopens.
#pragma once

#include <optional>

#include "common/result.h"
#include "runtime/engine.h"
#include "runtime/limits.h"
#include "runtime/module.h"
#include "runtime/trap.h"
#include "runtime/wasi_context.h"

namespace pelato::runtime {

struct CommandResult {
  int exitCode = 0;           // proc_exit status, 0 when _start returns
  std::optional<Trap> trap;   // set when the program trapped or ran out of time
};

// Fails when the program cannot start (not a command, missing imports, bad preopen).
Result<CommandResult> runCommand(Engine& engine, const Module& module, WasiConfig wasi, const Limits& limits);

}  // namespace pelato::runtime
