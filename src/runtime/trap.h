// How a call into wasm can end other than by returning.
#pragma once

#include <string>

namespace pelato::runtime {

struct Trap {
  enum class Kind {
    Trap,         // a wasm trap: unreachable, out of bounds, division by zero, stack exhausted...
    Exit,         // WASI proc_exit: not an error, `exitCode` is the program's status
    Deadline,     // the call ran past Limits::deadline or its instruction budget
    HostError,    // a host function failed
  };

  Kind kind = Kind::Trap;
  std::string message;   // e.g. "integer divide by zero"
  std::string function;  // name (or "func[N]") of the wasm function that trapped, if known
  int exitCode = 0;

  // "integer divide by zero (in function fib)"
  std::string describe() const {
    return function.empty() ? message : message + " (in function " + function + ")";
  }
};

}  // namespace pelato::runtime
