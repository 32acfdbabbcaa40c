#include "runtime/host_function.h"

#include "runtime/module.h"

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

namespace {

std::string importHint(const ImportInfo& import) {
  if (import.module == "wasi_unstable")
    return "; it was built for the old WASI snapshot 0: rebuild it for wasi_snapshot_preview1";
  if (import.module == "wasi_snapshot_preview1")
    return "; it is not part of WASI preview 1 as this host implements it";
  return "; the host provides wasi_snapshot_preview1 and pelato host functions only";
}

}  // namespace

Result<std::vector<const HostFunction*>> resolveImports(const std::vector<ImportInfo>& imports,
                                                        const HostFunctions& host) {
  std::vector<const HostFunction*> out;
  for (const auto& import : imports) {
    std::string what = fmt::format("{}.{}", import.module, import.name);
    if (import.kind != ExternKind::Func)
      return fail("the module imports {} {}, but hosts only provide functions{}", toString(import.kind), what,
                  importHint(import));
    const HostFunction* f = host.find(import.module, import.name);
    if (!f) return fail("the module imports function {} {}, which this host does not provide{}", what,
                        toString(import.funcType), importHint(import));
    if (f->type != import.funcType)
      return fail("the module imports {} with type {}, but the host's {} has type {}", what,
                  toString(import.funcType), what, toString(f->type));
    out.push_back(f);
  }
  return out;
}

}  // namespace pelato::runtime
