// The AOT tier's spec-script backend: every module is compiled with wasm2c (cached), and
// linked to the others through pelato's glue: functions through host calls, memories, tables
// and globals by pointer to their wasm-rt objects.
#include <map>

#include <wabt/interp/interp.h>

#include "runtime/aot_compiler.h"
#include "runtime/aot_instance.h"
#include "runtime/aot_rt.h"
#include "runtime/wast_backend.h"

namespace pelato::runtime {

namespace wi = wabt::interp;

namespace {

// What an importer needs to check and link an export.
struct Extern {
  ExternKind kind = ExternKind::Func;
  AotImport value;                    // host function or wasm-rt object pointer
  FuncType funcType;                  // functions
  ValType valueType = ValType::I32;   // tables (element) and globals
  bool mutableGlobal = false;
};

struct Compiled {
  Module module;
  std::unique_ptr<AotLinkedInstance> instance;
};

bool mutableGlobalExport(const Module& module, uint32_t globalIndex) {
  const auto& desc = module.interpDesc();
  uint32_t imported = 0;
  for (const auto& import : desc.imports) {
    if (import.type.type->kind != wabt::ExternalKind::Global) continue;
    if (imported++ == globalIndex) return wabt::cast<wi::GlobalType>(import.type.type.get())->mut == wi::Mutability::Var;
  }
  return desc.globals[globalIndex - imported].type.mut == wi::Mutability::Var;
}

// Import matching for limits (memories and tables): the export must be at least as big as the
// import asks, and bounded at least as tightly if the import has a maximum.
bool limitsMatch(const wabt::Limits& want, uint64_t size, std::optional<uint64_t> max) {
  if (size < want.initial) return false;
  return !want.has_max || (max && *max <= want.max);
}

class AotWastBackend final : public WastBackend {
 public:
  explicit AotWastBackend(aot::Compiler compiler) : compiler_(std::move(compiler)) { createSpectest(); }

  ~AotWastBackend() override {
    registered_.clear();
    graveyard_.clear();
    wasm_rt_free_memory(&spectestMemory_);
    wasm_rt_free_funcref_table(&spectestTable_);
  }

  Result<Handle> instantiate(const Module& module) override {
    auto path = compiler_.compile(module);
    if (!path) return fail(std::move(path.error()));
    auto artifact = AotArtifact::load(*path, module);
    if (!artifact) return fail(std::move(artifact.error()));
    std::vector<AotImport> imports;
    const auto& desc = module.interpDesc();
    for (size_t i = 0; i < module.imports().size(); ++i) {
      const auto& import = module.imports()[i];
      auto e = resolve(import.module, import.name);
      if (!e) return fail(std::move(e.error()));
      if (e->kind != import.kind) return fail("incompatible import type for {}.{}", import.module, import.name);
      const wi::ExternType& want = *desc.imports[i].type.type;
      switch (import.kind) {
        case ExternKind::Func:
          if (e->funcType != import.funcType) return fail("incompatible import type for {}.{}", import.module, import.name);
          break;
        case ExternKind::Memory: {
          auto* m = static_cast<wasm_rt_memory_t*>(std::get<void*>(e->value));
          std::optional<uint64_t> max;
          if (m->max_pages < 65536) max = m->max_pages;
          if (!limitsMatch(wabt::cast<wi::MemoryType>(&want)->limits, m->pages, max))
            return fail("incompatible import type for memory {}.{}", import.module, import.name);
          break;
        }
        case ExternKind::Table: {
          auto* t = static_cast<wasm_rt_funcref_table_t*>(std::get<void*>(e->value));
          std::optional<uint64_t> max;
          if (t->max_size != UINT32_MAX) max = t->max_size;
          if (e->valueType != import.valueType || !limitsMatch(wabt::cast<wi::TableType>(&want)->limits, t->size, max))
            return fail("incompatible import type for table {}.{}", import.module, import.name);
          break;
        }
        case ExternKind::Global:
          if (e->valueType != import.valueType ||
              e->mutableGlobal != (wabt::cast<wi::GlobalType>(&want)->mut == wi::Mutability::Var))
            return fail("incompatible import type for global {}.{}", import.module, import.name);
          break;
        case ExternKind::Tag: return fail("tags are not supported");
      }
      imports.push_back(e->value);
    }
    std::unique_ptr<AotLinkedInstance> failed;
    auto instance = instantiateAotLinked(module, *artifact, std::move(imports), Limits{.maxMemoryPages = 65536}, &failed);
    if (!instance) {
      if (failed) graveyard_.push_back(std::move(failed));  // its functions may sit in shared tables
      return fail(std::move(instance.error()));
    }
    return Handle(std::make_shared<Compiled>(Compiled{module, std::move(*instance)}));
  }

  void registerAs(const std::string& name, Handle instance) override {
    registered_[name] = std::static_pointer_cast<Compiled>(instance);
  }

  Result<std::vector<Value>> invoke(const Handle& handle, const std::string& field,
                                    const std::vector<Value>& args) override {
    auto& c = *std::static_pointer_cast<Compiled>(handle);
    auto r = c.instance->call(field, args);
    if (r) return *r;
    if (r.error().kind == Trap::Kind::HostError) return fail("{}", r.error().message);
    return fail("trap: {}", r.error().describe());
  }

  Result<Value> get(const Handle& handle, const std::string& field) override {
    auto& c = *std::static_pointer_cast<Compiled>(handle);
    const ExportInfo* e = c.module.findExport(field);
    if (!e || e->kind != ExternKind::Global) return fail("no global {}", field);
    const void* p = c.instance->exportPointer(static_cast<size_t>(e - c.module.exports().data()));
    Value v{.type = e->valueType};
    std::memcpy(&v.bits, p, e->valueType == ValType::I32 || e->valueType == ValType::F32 ? 4 : 8);
    return v;
  }

 private:
  Result<Extern> resolve(const std::string& module, const std::string& name) {
    if (module == "spectest") {
      auto it = spectest_.find(name);
      if (it == spectest_.end()) return fail("unknown import spectest.{}", name);
      return it->second;
    }
    auto it = registered_.find(module);
    if (it == registered_.end()) return fail("unknown import module {}", module);
    auto target = it->second;
    const ExportInfo* e = target->module.findExport(name);
    if (!e) return fail("unknown import {}.{}", module, name);
    size_t index = static_cast<size_t>(e - target->module.exports().data());
    Extern out{.kind = e->kind, .funcType = e->funcType, .valueType = e->valueType};
    if (e->kind == ExternKind::Func) {
      // Calls into another compiled instance; its trap becomes the caller's.
      out.value = HostFunction{module, name, e->funcType, [target, name, type = e->funcType](HostCall& call) -> HostOutcome {
        std::vector<Value> args;
        for (size_t i = 0; i < type.params.size(); ++i) args.push_back({type.params[i], call.args[i], {}});
        auto r = target->instance->call(name, args);
        if (!r) return std::unexpected(std::move(r.error()));
        for (size_t i = 0; i < r->size(); ++i) call.results[i] = (*r)[i].bits;
        return {};
      }};
    } else {
      out.value = target->instance->exportPointer(index);
      if (e->kind == ExternKind::Global) out.mutableGlobal = mutableGlobalExport(target->module, e->index);
    }
    return out;
  }

  void createSpectest() {
    auto print = [this](const char* name, std::vector<ValType> params) {
      FuncType type{std::move(params), {}};
      spectest_[name] = Extern{.kind = ExternKind::Func,
                               .value = HostFunction{"spectest", name, type, [](HostCall&) -> HostOutcome { return {}; }},
                               .funcType = type};
    };
    print("print", {});
    print("print_i32", {ValType::I32});
    print("print_i64", {ValType::I64});
    print("print_f32", {ValType::F32});
    print("print_f64", {ValType::F64});
    print("print_i32_f32", {ValType::I32, ValType::F32});
    print("print_f64_f64", {ValType::F64, ValType::F64});
    auto global = [this](const char* name, ValType type, void* value) {
      spectest_[name] = Extern{.kind = ExternKind::Global, .value = value, .valueType = type};
    };
    global("global_i32", ValType::I32, &globalI32_);
    global("global_i64", ValType::I64, &globalI64_);
    global("global_f32", ValType::F32, &globalF32_);
    global("global_f64", ValType::F64, &globalF64_);
    wasm_rt_allocate_memory(&spectestMemory_, 1, 2);
    wasm_rt_allocate_funcref_table(&spectestTable_, 10, 20);
    spectest_["memory"] = Extern{.kind = ExternKind::Memory, .value = static_cast<void*>(&spectestMemory_)};
    spectest_["table"] =
        Extern{.kind = ExternKind::Table, .value = static_cast<void*>(&spectestTable_), .valueType = ValType::FuncRef};
  }

  aot::Compiler compiler_;
  std::map<std::string, Extern> spectest_;
  std::map<std::string, std::shared_ptr<Compiled>> registered_;
  std::vector<std::unique_ptr<AotLinkedInstance>> graveyard_;
  wasm_rt_memory_t spectestMemory_{};
  wasm_rt_funcref_table_t spectestTable_{};
  uint32_t globalI32_ = 666;
  uint64_t globalI64_ = 666;
  float globalF32_ = 666.6f;
  double globalF64_ = 666.6;
};

}  // namespace

Result<std::unique_ptr<WastBackend>> makeAotWastBackend(const std::filesystem::path& cacheDir) {
  auto compiler = aot::Compiler::create({.cacheDir = cacheDir});
  if (!compiler) return fail(std::move(compiler.error()));
  return std::unique_ptr<WastBackend>(std::make_unique<AotWastBackend>(std::move(*compiler)));
}

}  // namespace pelato::runtime
