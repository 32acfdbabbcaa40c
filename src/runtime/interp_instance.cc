// The interpreter tier: each instance owns a libwabt Store, so instances share nothing mutable
// and destroying one frees all of its memory.
#include <wabt/interp/interp.h>

#include "runtime/instance.h"
#include "runtime/interp_call.h"
#include "common/sha256.h"
#include "runtime/wabt_types.h"

namespace pelato::runtime {

namespace wi = wabt::interp;

namespace {

wi::FuncType toWabtFuncType(const FuncType& type) {
  auto convert = [](const std::vector<ValType>& in) {
    wi::ValueTypes out;
    for (auto t : in) {
      switch (t) {
        case ValType::I32: out.push_back(wabt::Type::I32); break;
        case ValType::I64: out.push_back(wabt::Type::I64); break;
        case ValType::F32: out.push_back(wabt::Type::F32); break;
        case ValType::F64: out.push_back(wabt::Type::F64); break;
        case ValType::V128: out.push_back(wabt::Type::V128); break;
        case ValType::FuncRef: out.push_back(wabt::Type::FuncRef); break;
        case ValType::ExternRef: out.push_back(wabt::Type::ExternRef); break;
      }
    }
    return out;
  };
  return wi::FuncType(convert(type.params), convert(type.results));
}

class InterpInstance final : public Instance {
 public:
  InterpInstance(Module module, Limits limits) : module_(std::move(module)), limits_(limits) {}

  Result<void> init(const HostFunctions& host) {
    wi::ModuleDesc desc = module_.interpDesc();
    for (auto& memory : desc.memories) {
      auto& l = memory.type.limits;
      if (l.initial > limits_.maxMemoryPages)
        return fail("the module needs {} MiB of memory at start, above the limit of {} MiB; raise --max-memory-mb",
                    l.initial * Limits::kWasmPageSize >> 20, uint64_t(limits_.maxMemoryPages) * Limits::kWasmPageSize >> 20);
      if (!l.has_max || l.max > limits_.maxMemoryPages) {
        l.has_max = true;
        l.max = limits_.maxMemoryPages;
        memoryClamped_ = true;
      }
    }
    // Tables live in host memory too (8 bytes an element) and are not covered by maxMemoryPages:
    // cap all of a module's tables together at 10M elements (as V8 does for one table).
    constexpr uint64_t kMaxTableElements = 10'000'000;
    uint64_t tableElements = 0;
    for (const auto& table : desc.tables) tableElements += table.type.limits.initial;
    if (tableElements > kMaxTableElements)
      return fail("the module's tables need {} elements at start, above the limit of {}", tableElements,
                  kMaxTableElements);
    for (auto& table : desc.tables) {
      auto& l = table.type.limits;
      uint64_t cap = std::max<uint64_t>(l.initial, kMaxTableElements / desc.tables.size());
      if (!l.has_max || l.max > cap) {
        l.has_max = true;
        l.max = cap;
      }
    }
    // libwabt would run the start function to completion inside Instantiate, with no deadline,
    // fuel or depth limit; we run it ourselves below, under the same budget as any call.
    auto starts = std::move(desc.starts);
    desc.starts.clear();
    auto wabtModule = wi::Module::New(store_, std::move(desc));

    auto resolved = resolveImports(module_.imports(), host);
    if (!resolved) return fail(std::move(resolved.error()));
    wi::RefVec imports;
    for (const HostFunction* f : *resolved) imports.push_back(bind(*f).ref());

    wi::Trap::Ptr trap;
    instance_ = wi::Instance::Instantiate(store_, wabtModule.ref(), imports, &trap);
    if (!instance_) {
      std::string reason = hostTrap_ ? hostTrap_->describe() : trap ? trap->message() : "unknown error";
      return fail("instantiation failed: {}", reason);
    }
    for (size_t i = 0; i < module_.exports().size(); ++i) {
      const auto& e = module_.exports()[i];
      if (e.kind == ExternKind::Memory && (e.name == "memory" || memory_.empty()))
        memory_ = wi::Memory::Ptr(store_, instance_->exports()[i]);
    }
    if (memory_.empty() && !instance_->memories().empty())
      memory_ = wi::Memory::Ptr(store_, instance_->memories()[0]);
    for (const auto& start : starts) {
      wi::Func::Ptr func(store_, instance_->funcs()[start.func_index]);
      if (auto r = callWithBudget(store_, func, {}, beginCall(), &hostTrap_); !r)
        return fail("instantiation failed: {}", describe(std::move(r.error())).describe());
    }
    return {};
  }

  const Module& module() const override { return module_; }

  GuestMemory memory() override {
    if (memory_.empty()) return {};
    return GuestMemory({memory_->UnsafeData(), memory_->ByteSize()});
  }

  CallResult call(std::string_view name, std::span<const Value> args) override {
    const ExportInfo* e = module_.findExport(name);
    if (!e || e->kind != ExternKind::Func)
      return std::unexpected(Trap{Trap::Kind::HostError, fmt::format("the module exports no function '{}'", name)});
    if (args.size() != e->funcType.params.size())
      return std::unexpected(Trap{Trap::Kind::HostError,
                                  fmt::format("'{}' takes {} arguments {}, got {}", name, e->funcType.params.size(),
                                              toString(e->funcType), args.size())});
    wi::Values params;
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i].type != e->funcType.params[i])
        return std::unexpected(Trap{Trap::Kind::HostError,
                                    fmt::format("argument {} of '{}' must be {}", i + 1, name,
                                                toString(e->funcType.params[i]))});
      params.push_back(toWabt(args[i]));
    }
    wi::Func::Ptr func(store_, instance_->funcs()[e->index]);
    auto results = callWithBudget(store_, func, params, beginCall(), &hostTrap_);
    if (!results) {
      Trap trap = describe(std::move(results.error()));
      store_.Collect();
      return std::unexpected(std::move(trap));
    }
    std::vector<Value> out;
    for (size_t i = 0; i < results->size(); ++i) out.push_back(fromWabt(func->type().results[i], (*results)[i]));
    return out;
  }

 private:
  wi::HostFunc::Ptr bind(const HostFunction& f) {
    auto type = toWabtFuncType(f.type);
    return wi::HostFunc::New(
        store_, type,
        [this, callback = f.callback, type](wi::Thread& thread, const wi::Values& params, wi::Values& results,
                         wi::Trap::Ptr* out) -> wabt::Result {
          uint64_t args[16];
          uint64_t res[4] = {};
          if (params.size() > std::size(args) || type.results.size() > std::size(res)) {
            *out = wi::Trap::New(thread.store(), "host function signature too large");
            return wabt::Result::Error;
          }
          for (size_t i = 0; i < params.size(); ++i) args[i] = toSlot(type.params[i], params[i]);
          HostCall call{{args, params.size()}, {res, type.results.size()}, callerMemory(thread), callDeadline_};
          auto outcome = callback(call);
          // A host call that outlived the deadline (a sleep, a blocking read) ends the call here,
          // as on the AOT tier, rather than letting the guest run on.
          if (outcome && callDeadline_ && std::chrono::steady_clock::now() >= *callDeadline_)
            outcome = std::unexpected(Trap{Trap::Kind::Deadline, "deadline exceeded"});
          if (!outcome) {
            *out = wi::Trap::New(thread.store(), outcome.error().message);
            hostTrap_ = std::move(outcome.error());
            return wabt::Result::Error;
          }
          results.resize(type.results.size());
          for (size_t i = 0; i < results.size(); ++i) results[i] = fromSlot(type.results[i], res[i]);
          return wabt::Result::Ok;
        });
  }

  GuestMemory callerMemory(wi::Thread& thread) {
    wi::Instance* caller = thread.GetCallerInstance();
    if (caller && !caller->memories().empty()) {
      auto memory = store_.UnsafeGet<wi::Memory>(caller->memories()[0]);
      return GuestMemory({memory->UnsafeData(), memory->ByteSize()});
    }
    return memory();
  }

  // The budget of a new call; its deadline is also what blocking host functions honour.
  CallBudget beginCall() {
    CallBudget budget{.fuel = limits_.fuel, .maxCallDepth = limits_.maxCallDepth};
    if (limits_.deadline.count() > 0) budget.deadline = std::chrono::steady_clock::now() + limits_.deadline;
    callDeadline_ = budget.deadline;
    return budget;
  }

  // Names the function that trapped and, when memory is (nearly) exhausted, says so: a guest whose
  // allocator cannot grow memory usually ends in abort(), which alone would read "unreachable".
  // A failed memory.grow is invisible from here, and the allocation that failed was usually
  // larger than what was left, so "near" the limit counts too.
  Trap describe(InterpTrap interpTrap) {
    Trap trap = std::move(interpTrap.trap);
    trap.function = functionName(interpTrap.function);
    if (memoryClamped_ && !memory_.empty() && trap.kind == Trap::Kind::Trap) {
      uint64_t used = memory_->PageSize(), limit = limits_.maxMemoryPages;
      auto mib = [](uint64_t pages) { return pages * Limits::kWasmPageSize >> 20; };
      if (used >= limit)
        trap.message += fmt::format(" (the memory limit of {} MiB was reached)", mib(limit));
      else if (used * 8 >= limit * 7)
        trap.message += fmt::format(" (memory use was {} MiB, near the memory limit of {} MiB)", mib(used), mib(limit));
    }
    return trap;
  }

  Result<InstanceSnapshot> snapshot() override {
    InstanceSnapshot out{.moduleDigest = digestBytes(module_)};
    for (const auto& ref : instance_->memories()) {
      wi::Memory::Ptr memory(store_, ref);
      const uint8_t* data = memory->UnsafeData();
      out.memories.push_back({.pages = static_cast<uint32_t>(memory->PageSize()),
                              .bytes = std::vector<uint8_t>(data, data + memory->ByteSize())});
    }
    const auto& globals = instance_->globals();
    for (size_t i = 0; i < globals.size(); ++i) {
      wi::Global::Ptr global(store_, globals[i]);
      if (global->type().mut != wi::Mutability::Var) continue;  // constants come from the module
      Value value = fromWabt(global->type().type, global->Get());
      if (value.type != ValType::I32 && value.type != ValType::I64 && value.type != ValType::F32 &&
          value.type != ValType::F64)
        return fail("global {} holds a {}: snapshots carry numeric globals only", i, toString(value.type));
      out.globals.push_back({.index = static_cast<uint32_t>(i), .type = value.type, .bits = value.bits});
    }
    const auto& tables = instance_->tables();
    for (size_t i = 0; i < tables.size(); ++i) {
      wi::Table::Ptr table(store_, tables[i]);
      TableSnapshot t{.index = static_cast<uint32_t>(i)};
      for (const auto& element : table->elements()) {
        if (element == wi::Ref::Null) {
          t.functions.push_back(std::nullopt);
          continue;
        }
        auto index = functionIndex(element);
        if (!index) return fail("table {} holds a reference that is not one of the module's functions", i);
        t.functions.push_back(*index);
      }
      out.tables.push_back(std::move(t));
    }
    return out;
  }

  Result<void> restore(const InstanceSnapshot& snapshot) override {
    if (snapshot.moduleDigest != digestBytes(module_))
      return fail("the snapshot is of another module (sha256 {}), not this one ({})", toHex(snapshot.moduleDigest),
                  module_.digest());
    const auto& memories = instance_->memories();
    if (snapshot.memories.size() != memories.size())
      return fail("the snapshot has {} memories, the module {}", snapshot.memories.size(), memories.size());
    for (size_t i = 0; i < memories.size(); ++i) {
      wi::Memory::Ptr memory(store_, memories[i]);
      const auto& saved = snapshot.memories[i];
      if (saved.pages < memory->PageSize())
        return fail("memory {}: the snapshot has {} pages, fewer than this instance's {}", i, saved.pages,
                    memory->PageSize());
      if (saved.pages > memory->PageSize() && !Succeeded(memory->Grow(saved.pages - memory->PageSize())))
        return fail("memory {} cannot grow to the snapshot's {} pages (its maximum, or the memory limit)", i,
                    saved.pages);
      std::copy(saved.bytes.begin(), saved.bytes.end(), memory->UnsafeData());
    }
    const auto& globals = instance_->globals();
    for (const auto& saved : snapshot.globals) {
      if (saved.index >= globals.size()) return fail("the snapshot sets global {}, which the module lacks", saved.index);
      wi::Global::Ptr global(store_, globals[saved.index]);
      if (global->type().mut != wi::Mutability::Var || fromWabt(global->type().type) != saved.type)
        return fail("global {} is not a mutable {} here", saved.index, toString(saved.type));
      global->UnsafeSet(toWabt(Value{saved.type, saved.bits, {}}));
    }
    const auto& tables = instance_->tables();
    for (const auto& saved : snapshot.tables) {
      if (saved.index >= tables.size()) return fail("the snapshot fills table {}, which the module lacks", saved.index);
      wi::Table::Ptr table(store_, tables[saved.index]);
      if (saved.functions.size() > table->size() &&
          !Succeeded(table->Grow(store_, static_cast<uint32_t>(saved.functions.size() - table->size()), wi::Ref::Null)))
        return fail("table {} cannot grow to the snapshot's {} elements", saved.index, saved.functions.size());
      const auto& funcs = instance_->funcs();
      for (size_t e = 0; e < saved.functions.size(); ++e) {
        const auto& f = saved.functions[e];
        if (f && *f >= funcs.size()) return fail("table {} element {}: no function {}", saved.index, e, *f);
        (void)table->Set(store_, static_cast<uint32_t>(e), f ? funcs[*f] : wi::Ref::Null);
      }
    }
    return {};
  }

  std::optional<uint32_t> functionIndex(wi::Ref ref) const {
    const auto& funcs = instance_->funcs();
    for (size_t i = 0; i < funcs.size(); ++i)
      if (funcs[i] == ref) return static_cast<uint32_t>(i);
    return std::nullopt;
  }

  std::string functionName(wi::Ref ref) {
    if (!instance_ || ref == wi::Ref::Null) return {};
    const auto& funcs = instance_->funcs();
    for (size_t i = 0; i < funcs.size(); ++i)
      if (funcs[i] == ref) return module_.functionName(static_cast<uint32_t>(i));
    return {};
  }

  Module module_;
  Limits limits_;
  wi::Store store_;
  wi::Instance::Ptr instance_;
  wi::Memory::Ptr memory_;
  bool memoryClamped_ = false;
  std::optional<Trap> hostTrap_;
  std::optional<std::chrono::steady_clock::time_point> callDeadline_;  // of the call in progress
};

}  // namespace

Sha256 digestBytes(const Module& module) {
  Sha256 out{};
  const std::string& hex = module.digest();
  for (size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i)
    out[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

Result<std::unique_ptr<Instance>> instantiateInterp(const Module& module, const HostFunctions& host,
                                                    const Limits& limits) {
  auto instance = std::make_unique<InterpInstance>(module, limits);
  if (auto ok = instance->init(host); !ok) return fail(std::move(ok.error()));
  return std::unique_ptr<Instance>(std::move(instance));
}

}  // namespace pelato::runtime
