// The interpreter tier's spec-script backend: one libwabt Store for the whole script, so
// modules link to each other's functions, memories, tables and globals directly.
#include <map>

#include <wabt/interp/interp.h>

#include "runtime/interp_call.h"
#include "runtime/wabt_types.h"
#include "runtime/wast_backend.h"

namespace pelato::runtime {

namespace wi = wabt::interp;

namespace {

using ExportMap = std::map<std::string, wi::Ref>;

class InterpWastBackend final : public WastBackend {
 public:
  InterpWastBackend() { createSpectest(); }

  Result<Handle> instantiate(const Module& module) override {
    auto wabtModule = wi::Module::New(store_, module.interpDesc());
    wi::RefVec imports;
    for (const auto& import : module.imports()) {
      const ExportMap* from = import.module == "spectest" ? &spectest_ : nullptr;
      if (auto it = registered_.find(import.module); it != registered_.end()) from = it->second.get();
      if (!from) return fail("unknown import module {}", import.module);
      auto e = from->find(import.name);
      if (e == from->end()) return fail("unknown import {}.{}", import.module, import.name);
      imports.push_back(e->second);
    }
    wi::Trap::Ptr trap;
    auto instance = wi::Instance::Instantiate(store_, wabtModule.ref(), imports, &trap);
    if (!instance) return fail("{}", trap ? trap->message() : "instantiation failed");
    auto exports = std::make_shared<ExportMap>();
    for (size_t i = 0; i < module.exports().size(); ++i) {
      (*exports)[module.exports()[i].name] = instance->exports()[i];
      keep_.push_back(wi::Object::Ptr(store_, instance->exports()[i]));
    }
    keep_.push_back(instance);
    return Handle(exports);
  }

  void registerAs(const std::string& name, Handle instance) override {
    registered_[name] = std::static_pointer_cast<ExportMap>(instance);
  }

  Result<std::vector<Value>> invoke(const Handle& instance, const std::string& field,
                                    const std::vector<Value>& args) override {
    auto ref = find(instance, field);
    if (!ref) return fail(std::move(ref.error()));
    wi::Func::Ptr func(store_, *ref);
    const auto& type = func->type();
    if (args.size() != type.params.size()) return fail("{} takes {} arguments", field, type.params.size());
    wi::Values params;
    for (size_t i = 0; i < args.size(); ++i) params.push_back(toWabtValue(type.params[i], args[i]));
    CallBudget budget{.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30)};
    auto r = callWithBudget(store_, func, params, budget, nullptr);
    if (!r) return fail("trap: {}", r.error().trap.message);
    std::vector<Value> out;
    for (size_t i = 0; i < r->size(); ++i) out.push_back(fromWabtValue(type.results[i], (*r)[i]));
    return out;
  }

  Result<Value> get(const Handle& instance, const std::string& field) override {
    auto ref = find(instance, field);
    if (!ref) return fail(std::move(ref.error()));
    wi::Global::Ptr global(store_, *ref);
    return fromWabtValue(global->type().type, global->Get());
  }

 private:
  Result<wi::Ref> find(const Handle& instance, const std::string& field) {
    auto& exports = *std::static_pointer_cast<ExportMap>(instance);
    auto e = exports.find(field);
    if (e == exports.end()) return fail("no export {}", field);
    return e->second;
  }

  wi::Value toWabtValue(wabt::Type type, const Value& v) {
    if (type == wabt::Type::FuncRef || type == wabt::Type::ExternRef)
      return wi::Value::Make(v.bits == 0 ? wi::Ref::Null : externRef(v.bits));
    return toWabt(v);
  }

  Value fromWabtValue(wabt::Type type, const wi::Value& v) {
    Value out = fromWabt(type, v);
    if (type == wabt::Type::FuncRef || type == wabt::Type::ExternRef) {
      wi::Ref ref = v.Get<wi::Ref>();
      out.bits = ref == wi::Ref::Null ? 0 : ref.index + (uint64_t(1) << 32);
      for (const auto& [bits, object] : externs_)
        if (object.ref() == ref) out.bits = bits;
    }
    return out;
  }

  // `ref.extern N` values: one host object per N, so identity comparisons work.
  wi::Ref externRef(uint64_t bits) {
    auto it = externs_.find(bits);
    if (it == externs_.end())
      it = externs_.emplace(bits, wi::Foreign::New(store_, reinterpret_cast<void*>(bits))).first;
    return it->second.ref();
  }

  void createSpectest() {
    auto print = [this](std::initializer_list<wabt::Type> params) {
      auto f = wi::HostFunc::New(store_, wi::FuncType(params, {}),
                                 [](wi::Thread&, const wi::Values&, wi::Values&, wi::Trap::Ptr*) { return wabt::Result::Ok; });
      keep_.push_back(f);
      return f.ref();
    };
    using T = wabt::Type;
    spectest_["print"] = print({});
    spectest_["print_i32"] = print({T::I32});
    spectest_["print_i64"] = print({T::I64});
    spectest_["print_f32"] = print({T::F32});
    spectest_["print_f64"] = print({T::F64});
    spectest_["print_i32_f32"] = print({T::I32, T::F32});
    spectest_["print_f64_f64"] = print({T::F64, T::F64});
    auto global = [this](T type, wi::Value v) {
      auto g = wi::Global::New(store_, wi::GlobalType(type, wi::Mutability::Const), v);
      keep_.push_back(g);
      return g.ref();
    };
    spectest_["global_i32"] = global(T::I32, wi::Value::Make(wi::u32{666}));
    spectest_["global_i64"] = global(T::I64, wi::Value::Make(wi::u64{666}));
    spectest_["global_f32"] = global(T::F32, wi::Value::Make(666.6f));
    spectest_["global_f64"] = global(T::F64, wi::Value::Make(666.6));
    auto table = wi::Table::New(store_, wi::TableType(T::FuncRef, wabt::Limits(10, 20)));
    auto memory = wi::Memory::New(store_, wi::MemoryType(wabt::Limits(1, 2)));
    keep_.push_back(table);
    keep_.push_back(memory);
    spectest_["table"] = table.ref();
    spectest_["memory"] = memory.ref();
  }

  wi::Store store_;
  std::vector<wi::Object::Ptr> keep_;  // roots: everything a later command may reach
  std::map<uint64_t, wi::Foreign::Ptr> externs_;
  ExportMap spectest_;
  std::map<std::string, std::shared_ptr<ExportMap>> registered_;
};

}  // namespace

std::unique_ptr<WastBackend> makeInterpWastBackend() { return std::make_unique<InterpWastBackend>(); }

}  // namespace pelato::runtime
