// The AOT tier: instances of wasm2c-compiled artifacts, behind the same Instance interface
// as the interpreter.
#pragma once

#include <filesystem>
#include <memory>
#include <variant>
#include <vector>

#include "common/result.h"
#include "runtime/instance.h"

namespace pelato::runtime {

// A loaded artifact (a shared object built by aot::Compiler) for one module digest.
class AotArtifact {
 public:
  // dlopens the artifact and checks that it was built for `module` with this glue ABI.
  static Result<std::shared_ptr<AotArtifact>> load(const std::filesystem::path& path, const Module& module);
  ~AotArtifact();
  AotArtifact(const AotArtifact&) = delete;
  AotArtifact& operator=(const AotArtifact&) = delete;

  struct Entry {
    size_t instanceSize;
    void (*instantiate)(void* instance, void* host);
    void (*free)(void* instance);
    std::vector<void (*)(void)> exports;  // in Module::exports() order
    // The instance's state by wasm index (aot::generateStateAccess), for snapshots.
    void* (*memory)(void* instance, uint32_t index);  // a wasm_rt_memory_t*
    void* (*table)(void* instance, uint32_t index);   // a wasm_rt_{funcref,externref}_table_t*
    int (*globalGet)(void* instance, uint32_t index, uint64_t* bits);
    int (*globalSet)(void* instance, uint32_t index, uint64_t bits);
    int (*funcref)(void* instance, uint32_t index, void* out);  // a wasm_rt_funcref_t
    uint32_t functionCount;
  };
  const Entry& entry() const { return entry_; }

 private:
  AotArtifact(void* handle, Entry entry) : handle_(handle), entry_(std::move(entry)) {}
  void* handle_;
  Entry entry_;
};

Result<std::unique_ptr<Instance>> instantiateAot(const Module& module, std::shared_ptr<const AotArtifact> artifact,
                                                 const HostFunctions& host, const Limits& limits);

// Lower level, for linking compiled modules to each other (spec scripts): one entry per import,
// a host function for function imports, a pointer to the wasm-rt object (wasm_rt_memory_t,
// table, global value) for the others.
using AotImport = std::variant<HostFunction, void*>;

class AotLinkedInstance : public Instance {
 public:
  // The wasm-rt object behind an exported memory, table or global (by Module::exports() index).
  virtual void* exportPointer(size_t exportIndex) = 0;
};

// When instantiation traps after element segments placed its functions in an imported table,
// those entries still point into the instance: `failed`, if given, receives it to keep alive.
Result<std::unique_ptr<AotLinkedInstance>> instantiateAotLinked(const Module& module,
                                                                std::shared_ptr<const AotArtifact> artifact,
                                                                std::vector<AotImport> imports, const Limits& limits,
                                                                std::unique_ptr<AotLinkedInstance>* failed = nullptr);

}  // namespace pelato::runtime
