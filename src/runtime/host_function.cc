#include "runtime/host_function.h"

namespace pelato::runtime {

void HostFunctions::add(HostFunction function) {
  for (auto& existing : functions_) {
    if (existing.module == function.module && existing.name == function.name) {
      existing = std::move(function);
      return;
    }
  }
  functions_.push_back(std::move(function));
}

void HostFunctions::add(std::vector<HostFunction> functions) {
  for (auto& f : functions) add(std::move(f));
}

const HostFunction* HostFunctions::find(std::string_view module, std::string_view name) const {
  for (const auto& f : functions_)
    if (f.module == module && f.name == name) return &f;
  return nullptr;
}

}  // namespace pelato::runtime
