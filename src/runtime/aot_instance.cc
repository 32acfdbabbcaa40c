#include "runtime/aot_instance.h"

#include <dlfcn.h>
#include <wabt/interp/interp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "common/sha256.h"
#include "runtime/aot_glue.h"
#include "runtime/aot_rt.h"
#include "runtime/aot_rt_header.h"

namespace pelato::runtime {

AotArtifact::~AotArtifact() { dlclose(handle_); }

Result<std::shared_ptr<AotArtifact>> AotArtifact::load(const std::filesystem::path& path, const Module& module) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return fail("cannot load AOT artifact {}: {}", path.string(), dlerror());
  auto symbol = [&](const char* name) { return dlsym(handle, name); };
  auto* abi = static_cast<const uint32_t*>(symbol("pelato_abi_version"));
  auto* digest = static_cast<const char*>(symbol("pelato_module_digest"));
  auto* size = static_cast<const size_t*>(symbol("pelato_instance_size"));
  auto* exports = static_cast<void (*const*)(void)>(symbol("pelato_exports"));
  auto init = reinterpret_cast<void (*)(void)>(symbol("pelato_init_module"));
  auto instantiate = reinterpret_cast<void (*)(void*, void*)>(symbol("pelato_instantiate"));
  auto free = reinterpret_cast<void (*)(void*)>(symbol("pelato_free"));
  auto memory = reinterpret_cast<void* (*)(void*, uint32_t)>(symbol("pelato_memory"));
  auto table = reinterpret_cast<void* (*)(void*, uint32_t)>(symbol("pelato_table"));
  auto globalGet = reinterpret_cast<int (*)(void*, uint32_t, uint64_t*)>(symbol("pelato_global_get"));
  auto globalSet = reinterpret_cast<int (*)(void*, uint32_t, uint64_t)>(symbol("pelato_global_set"));
  auto funcref = reinterpret_cast<int (*)(void*, uint32_t, void*)>(symbol("pelato_funcref"));
  auto* functionCount = static_cast<const uint32_t*>(symbol("pelato_function_count"));
  if (!abi || !digest || !size || !exports || !init || !instantiate || !free || !memory || !table || !globalGet ||
      !globalSet || !funcref || !functionCount || *abi != aot::kAbiVersion || module.digest() != digest) {
    dlclose(handle);
    return fail("{} is not a pelato artifact for this module and version; remove it and compile again", path.string());
  }
  init();
  Entry entry{*size, instantiate, free, {}, memory, table, globalGet, globalSet, funcref, *functionCount};
  for (size_t i = 0; i < module.exports().size(); ++i) entry.exports.push_back(exports[i]);
  return std::shared_ptr<AotArtifact>(new AotArtifact(handle, std::move(entry)));
}

namespace {

// What compiled code calls back into: the instance's imports.
class AotHost {
 public:
  virtual ~AotHost() = default;
  // False when the host function failed; the trap waits in the instance.
  virtual bool callHost(uint32_t import, const uint64_t* args, uint64_t* results) = 0;
  virtual void* importPointer(uint32_t import) = 0;
};

class AotInstance final : public AotLinkedInstance, public AotHost {
 public:
  AotInstance(Module module, std::shared_ptr<const AotArtifact> artifact, Limits limits)
      : module_(std::move(module)), artifact_(std::move(artifact)), limits_(limits) {}

  ~AotInstance() override {
    if (!instance_) return;
    if (instantiated_) artifact_->entry().free(instance_);
    std::free(instance_);
  }

  Result<void> init(std::vector<AotImport> imports) {
    for (const auto& memory : module_.memories()) {
      if (memory.initialPages > limits_.maxMemoryPages)
        return fail("the module needs {} MiB of memory at start, above the limit of {} MiB; raise --max-memory-mb",
                    memory.initialPages * Limits::kWasmPageSize >> 20,
                    uint64_t(limits_.maxMemoryPages) * Limits::kWasmPageSize >> 20);
      memoryClamped_ |= !memory.maxPages || *memory.maxPages > limits_.maxMemoryPages;
    }
    // The interpreter's cap on tables (interp_instance.cc); wasm-rt caps their growth alike.
    constexpr uint64_t kMaxTableElements = 10'000'000;
    uint64_t tableElements = 0;
    for (const auto& table : module_.interpDesc().tables) tableElements += table.type.limits.initial;
    if (tableElements > kMaxTableElements)
      return fail("the module's tables need {} elements at start, above the limit of {}", tableElements,
                  kMaxTableElements);
    imports_ = std::move(imports);
    const auto& entry = artifact_->entry();
    instance_ = std::calloc(1, entry.instanceSize);
    if (!instance_) return fail("out of memory creating an instance");
    int code = aot::instantiate(entry.instantiate, instance_, static_cast<AotHost*>(this), limits_.maxMemoryPages,
                                deadline());
    // Even half-initialised, the instance is freed normally: wasm2c's free skips what is null.
    instantiated_ = true;
    if (code != aot::kTrapNone) return fail("instantiation failed: {}", trapOf(code).describe());
    for (size_t i = 0; i < module_.exports().size(); ++i) {
      const auto& e = module_.exports()[i];
      if (e.kind == ExternKind::Memory && (e.name == "memory" || !memory_))
        memory_ = static_cast<wasm_rt_memory_t*>(exportPointer(i));
    }
    return {};
  }

  const Module& module() const override { return module_; }

  GuestMemory memory() override {
    if (!memory_) return {};
    return GuestMemory({memory_->data, uint64_t(memory_->pages) * Limits::kWasmPageSize});
  }

  CallResult call(std::string_view name, std::span<const Value> args) override {
    Value results[16];
    auto ok = callInto(name, args, results);
    if (!ok) return std::unexpected(std::move(ok.error()));
    const auto& types = module_.findExport(name)->funcType.results;
    return std::vector<Value>(results, results + types.size());
  }

  std::expected<void, Trap> callInto(std::string_view name, std::span<const Value> args,
                                     std::span<Value> out) override {
    const ExportInfo* e = module_.findExport(name);
    if (!e || e->kind != ExternKind::Func)
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("the module exports no function '{}'", name)});
    return callExport(*e, args, out);
  }

  std::expected<void, Trap> callInto(size_t exportIndex, std::span<const Value> args,
                                     std::span<Value> out) override {
    const auto& exports = module_.exports();
    if (exportIndex >= exports.size() || exports[exportIndex].kind != ExternKind::Func)
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("export {} is not a function", exportIndex)});
    return callExport(exports[exportIndex], args, out);
  }

  std::expected<void, Trap> callExport(const ExportInfo& export_, std::span<const Value> args,
                                       std::span<Value> out) {
    const ExportInfo* e = &export_;
    const std::string& name = e->name;
    const auto& type = e->funcType;
    if (args.size() != type.params.size())
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("'{}' takes {} arguments {}, got {}", name,
                                                                     type.params.size(), toString(type), args.size())});
    uint64_t slots[16] = {}, results[16] = {};
    if (args.size() > std::size(slots) || type.results.size() > std::size(results))
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("'{}' has too many parameters or results", name)});
    if (type.results.size() > out.size())
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("'{}' has more results than room for them", name)});
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i].type != type.params[i])
        return std::unexpected(Trap{Trap::Kind::HostError,
                                    fmt::format("argument {} of '{}' must be {}", i + 1, name, toString(type.params[i]))});
      slots[i] = args[i].bits;
    }
    auto index = static_cast<size_t>(e - module_.exports().data());
    auto trampoline = reinterpret_cast<aot::Trampoline>(artifact_->entry().exports[index]);
    if (!trampoline)
      return std::unexpected(Trap{Trap::Kind::HostError,
                                  fmt::format("'{}' {} passes values the AOT tier cannot carry (references in multiple results, or v128); "
                                              "use --tier interp", name, toString(type))});
    callDeadline_.reset();
    if (auto d = deadline()) callDeadline_ = std::chrono::steady_clock::now() + *d;
    int code = aot::invoke(trampoline, instance_, slots, results, deadline());
    if (code != aot::kTrapNone) return std::unexpected(trapOf(code));
    for (size_t i = 0; i < type.results.size(); ++i) out[i] = {type.results[i], results[i], {}};
    return {};
  }

  bool callHost(uint32_t import, const uint64_t* args, uint64_t* results) override {
    const HostFunction& f = std::get<HostFunction>(imports_[import]);
    HostCall call{{args, f.type.params.size()}, {results, f.type.results.size()}, memory(), callDeadline_};
    auto outcome = f.callback(call);
    if (outcome) return true;
    hostTrap_ = std::move(outcome.error());
    return false;
  }

  void* importPointer(uint32_t import) override { return std::get<void*>(imports_[import]); }

  // As the interpreter tier takes and applies them (interp_instance.cc), index for index and
  // message for message, so that snapshots cross between the tiers.
  Result<InstanceSnapshot> snapshot() override {
    const auto& entry = artifact_->entry();
    const aot::StateLayout layout = aot::stateLayout(module_);
    InstanceSnapshot out{.moduleDigest = digestBytes(module_)};
    for (size_t i = 0; i < layout.memories; ++i) {
      auto* memory = static_cast<const wasm_rt_memory_t*>(entry.memory(instance_, static_cast<uint32_t>(i)));
      if (!memory) return fail("memory {} is missing from the AOT artifact; remove it and compile again", i);
      out.memories.push_back({.pages = memory->pages,
                              .bytes = std::vector<uint8_t>(memory->data, memory->data + uint64_t(memory->pages) * kWasmPageBytes)});
    }
    for (size_t i = 0; i < layout.globals.size(); ++i) {
      const auto& global = layout.globals[i];
      if (!global.isMutable) continue;  // constants come from the module
      if (!isNumeric(global.type))
        return fail("global {} holds a {}: snapshots carry numeric globals only", i, toString(global.type));
      GlobalSnapshot saved{.index = static_cast<uint32_t>(i), .type = global.type};
      if (!entry.globalGet(instance_, saved.index, &saved.bits))
        return fail("global {} is missing from the AOT artifact; remove it and compile again", i);
      out.globals.push_back(saved);
    }
    // Compiled code -> function index. The reference must also carry this instance's context
    // (another instance of the same artifact shares the code): the instance itself for a defined
    // function, the import context for an imported one (the glue's code), as element segments,
    // ref.func and restore all give it (see aot_patches.cc for element segments).
    struct Function {
      uint32_t index;
      void* instance;
    };
    std::unordered_map<void (*)(void), Function> functions;
    for (uint32_t f = entry.functionCount; f-- > 0;) {
      wasm_rt_funcref_t ref{};
      if (entry.funcref(instance_, f, &ref)) functions[ref.func] = {f, ref.module_instance};
    }
    for (size_t i = 0; i < layout.tables.size(); ++i) {
      TableSnapshot t{.index = static_cast<uint32_t>(i)};
      void* table = entry.table(instance_, t.index);
      if (!table) return fail("table {} is missing from the AOT artifact; remove it and compile again", i);
      if (layout.tables[i] == ValType::ExternRef) {
        // Only null externrefs have a meaning on another host; the interpreter tier agrees.
        const auto* refs = static_cast<const wasm_rt_externref_table_t*>(table);
        for (uint32_t e = 0; e < refs->size; ++e) {
          if (refs->data[e]) return fail("table {} holds an externref: snapshots carry function references only", i);
          t.functions.push_back(std::nullopt);
        }
      } else {
        const auto* refs = static_cast<const wasm_rt_funcref_table_t*>(table);
        for (uint32_t e = 0; e < refs->size; ++e) {
          if (!refs->data[e].func) {
            t.functions.push_back(std::nullopt);
            continue;
          }
          auto found = functions.find(refs->data[e].func);
          if (found == functions.end() || found->second.instance != refs->data[e].module_instance)
            return fail("table {} holds a reference that is not one of the module's functions", i);
          t.functions.push_back(found->second.index);
        }
      }
      out.tables.push_back(std::move(t));
    }
    return out;
  }

  Result<void> restore(const InstanceSnapshot& snapshot) override {
    if (snapshot.moduleDigest != digestBytes(module_))
      return fail("the snapshot is of another module (sha256 {}), not this one ({})", toHex(snapshot.moduleDigest),
                  module_.digest());
    const auto& entry = artifact_->entry();
    const aot::StateLayout layout = aot::stateLayout(module_);
    if (snapshot.memories.size() != layout.memories)
      return fail("the snapshot has {} memories, the module {}", snapshot.memories.size(), layout.memories);
    for (size_t i = 0; i < layout.memories; ++i) {
      auto* memory = static_cast<wasm_rt_memory_t*>(entry.memory(instance_, static_cast<uint32_t>(i)));
      if (!memory) return fail("memory {} is missing from the AOT artifact; remove it and compile again", i);
      const auto& saved = snapshot.memories[i];
      if (saved.pages < memory->pages)
        return fail("memory {}: the snapshot has {} pages, fewer than this instance's {}", i, saved.pages,
                    memory->pages);
      // wasm-rt holds the memory to its maximum, already clamped to the memory limit.
      if (saved.pages > memory->pages && wasm_rt_grow_memory(memory, saved.pages - memory->pages) == UINT32_MAX)
        return fail("memory {} cannot grow to the snapshot's {} pages (its maximum, or the memory limit)", i,
                    saved.pages);
      std::memcpy(memory->data, saved.bytes.data(),
                  std::min<uint64_t>(saved.bytes.size(), uint64_t(memory->pages) * kWasmPageBytes));
    }
    for (const auto& saved : snapshot.globals) {
      if (saved.index >= layout.globals.size())
        return fail("the snapshot sets global {}, which the module lacks", saved.index);
      const auto& global = layout.globals[saved.index];
      if (!global.isMutable || global.type != saved.type || !entry.globalSet(instance_, saved.index, saved.bits))
        return fail("global {} is not a mutable {} here", saved.index, toString(saved.type));
    }
    for (const auto& saved : snapshot.tables) {
      if (saved.index >= layout.tables.size())
        return fail("the snapshot fills table {}, which the module lacks", saved.index);
      void* table = entry.table(instance_, saved.index);
      if (!table) return fail("table {} is missing from the AOT artifact; remove it and compile again", saved.index);
      auto cannotGrow = [&] {
        return fail("table {} cannot grow to the snapshot's {} elements", saved.index, saved.functions.size());
      };
      if (layout.tables[saved.index] == ValType::ExternRef) {
        auto* refs = static_cast<wasm_rt_externref_table_t*>(table);
        if (saved.functions.size() > refs->size &&
            wasm_rt_grow_externref_table(refs, static_cast<uint32_t>(saved.functions.size() - refs->size), nullptr) ==
                UINT32_MAX)
          return cannotGrow();
        for (size_t e = 0; e < saved.functions.size(); ++e) {
          if (saved.functions[e])
            return fail("table {} element {}: an externref table cannot hold function {}", saved.index, e,
                        *saved.functions[e]);
          refs->data[e] = nullptr;
        }
        continue;
      }
      auto* refs = static_cast<wasm_rt_funcref_table_t*>(table);
      if (saved.functions.size() > refs->size &&
          wasm_rt_grow_funcref_table(refs, static_cast<uint32_t>(saved.functions.size() - refs->size), {}) == UINT32_MAX)
        return cannotGrow();
      for (size_t e = 0; e < saved.functions.size(); ++e) {
        const auto& f = saved.functions[e];
        wasm_rt_funcref_t ref{};
        if (f && (*f >= entry.functionCount || !entry.funcref(instance_, *f, &ref)))
          return fail("table {} element {}: no function {}", saved.index, e, *f);
        refs->data[e] = ref;
      }
    }
    return {};
  }

  void* exportPointer(size_t index) override {
    auto accessor = reinterpret_cast<void* (*)(void*)>(artifact_->entry().exports[index]);
    return accessor(instance_);
  }

 private:
  std::optional<std::chrono::milliseconds> deadline() const {
    if (limits_.deadline.count() > 0) return limits_.deadline;
    return std::nullopt;
  }

  static bool isNumeric(ValType t) {
    return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
  }

  Trap trapOf(int code) {
    if (code == aot::kTrapHost && hostTrap_) {
      Trap t = std::move(*hostTrap_);
      hostTrap_.reset();
      return t;
    }
    Trap t{code == aot::kTrapDeadline ? Trap::Kind::Deadline : Trap::Kind::Trap, aot::trapMessage(code)};
    // As the interpreter words it (interp_instance.cc), near the limit too.
    if (memoryClamped_ && memory_ && t.kind == Trap::Kind::Trap) {
      uint64_t used = memory_->pages, limit = limits_.maxMemoryPages;
      auto mib = [](uint64_t pages) { return pages * Limits::kWasmPageSize >> 20; };
      if (used >= limit)
        t.message += fmt::format(" (the memory limit of {} MiB was reached)", mib(limit));
      else if (used * 8 >= limit * 7)
        t.message += fmt::format(" (memory use was {} MiB, near the memory limit of {} MiB)", mib(used), mib(limit));
    }
    return t;
  }

  Module module_;
  std::shared_ptr<const AotArtifact> artifact_;
  Limits limits_;
  void* instance_ = nullptr;
  bool instantiated_ = false;
  bool memoryClamped_ = false;
  wasm_rt_memory_t* memory_ = nullptr;
  std::vector<AotImport> imports_;
  std::optional<Trap> hostTrap_;
  std::optional<std::chrono::steady_clock::time_point> callDeadline_;  // of the call in progress
};

}  // namespace

Result<std::unique_ptr<AotLinkedInstance>> instantiateAotLinked(const Module& module,
                                                                std::shared_ptr<const AotArtifact> artifact,
                                                                std::vector<AotImport> imports, const Limits& limits,
                                                                std::unique_ptr<AotLinkedInstance>* failed) {
  auto instance = std::make_unique<AotInstance>(module, std::move(artifact), limits);
  if (auto ok = instance->init(std::move(imports)); !ok) {
    if (failed) *failed = std::move(instance);
    return fail(std::move(ok.error()));
  }
  return std::unique_ptr<AotLinkedInstance>(std::move(instance));
}

Result<std::unique_ptr<Instance>> instantiateAot(const Module& module, std::shared_ptr<const AotArtifact> artifact,
                                                 const HostFunctions& host, const Limits& limits) {
  auto resolved = resolveImports(module.imports(), host);
  if (!resolved) return fail(std::move(resolved.error()));
  std::vector<AotImport> imports;
  for (const HostFunction* f : *resolved) {
    if (!aot::carriable(f->type)) {
      std::string what = fmt::format("{}.{}", f->module, f->name);
      imports.push_back(HostFunction{f->module, f->name, f->type, [what](HostCall&) -> HostOutcome {
        return std::unexpected(Trap{Trap::Kind::HostError,
                                    fmt::format("import {} passes values the AOT tier cannot carry (references in multiple results, or v128)", what)});
      }});
      continue;
    }
    imports.push_back(*f);
  }
  auto instance = instantiateAotLinked(module, std::move(artifact), std::move(imports), limits);
  if (!instance) return fail(std::move(instance.error()));
  return std::unique_ptr<Instance>(std::move(*instance));
}

}  // namespace pelato::runtime

// Called from compiled code (see aot_glue.cc). The context is the AotHost given to instantiate.
extern "C" void pelato_rt_host_call(void* ctx, uint32_t import, const uint64_t* args, uint64_t* results) {
  using namespace pelato::runtime;
  bool ok, late;
  {
    aot::HostCallScope scope;
    ok = static_cast<AotHost*>(ctx)->callHost(import, args, results);
    late = scope.deadlinePending();
  }
  // No C++ object is alive in this frame past this point: unwinding over it is safe.
  if (!ok) aot::raiseHostTrap();
  if (late) aot::raiseDeadlineTrap();
}

extern "C" void* pelato_rt_import(void* ctx, uint32_t import) {
  return static_cast<pelato::runtime::AotHost*>(ctx)->importPointer(import);
}
