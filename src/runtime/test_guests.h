// For tests: guest modules built by cmake/guests.cmake into PELATO_GUEST_DIR.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "runtime/module.h"

namespace pelato::runtime {

inline std::string guestPath(std::string_view name) {
  return std::string(PELATO_GUEST_DIR) + "/" + std::string(name) + ".wasm";
}

// A guest that must load: a failure is a broken build, so it ends the test loudly.
inline Module loadGuest(std::string_view name) {
  auto module = Module::loadFile(guestPath(name));
  if (!module) throw std::runtime_error(module.error().message());
  return std::move(*module);
}

}  // namespace pelato::runtime
