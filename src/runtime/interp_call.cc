#include "runtime/interp_call.h"

#include <fmt/format.h>

#include <algorithm>

namespace pelato::runtime {

namespace wi = wabt::interp;

// libwabt's Thread only offers "run to completion" publicly. To bound a call we need its
// step-wise API (PushValues/PushCall/Run(n)/PopValues) and its frame stack, which are private.
// Explicit template instantiation may name private members ([temp.spec]/6), which gives us
// member pointers without patching or forking libwabt.
namespace {

template <typename Tag, typename Tag::type Member>
struct Expose {
  friend typename Tag::type get(Tag) { return Member; }
};

struct PushValuesTag {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, const wi::Values&);
  friend type get(PushValuesTag);
};
struct PopValuesTag {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, wi::Values*);
  friend type get(PopValuesTag);
};
struct PushCallTag {
  using type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc&, wi::Trap::Ptr*);
  friend type get(PushCallTag);
};
struct FramesTag {
  using type = std::vector<wi::Frame> wi::Thread::*;
  friend type get(FramesTag);
};

template struct Expose<PushValuesTag, &wi::Thread::PushValues>;
template struct Expose<PopValuesTag, &wi::Thread::PopValues>;
template struct Expose<PushCallTag, &wi::Thread::PushCall>;
template struct Expose<FramesTag, &wi::Thread::frames_>;
struct ValuesTag {
  using type = std::vector<wi::Value> wi::Thread::*;
  friend type get(ValuesTag);
};
template struct Expose<ValuesTag, &wi::Thread::values_>;

constexpr int kSlice = 8192;  // instructions between budget checks

// libwabt bounds the number of frames but not the value stack, where each call also puts its
// callee's locals (a function may declare up to 50000: see Module::load). Deep recursion through
// a function with many locals would take gigabytes of host memory within one slice, so the
// value stack is capped too: 4M values, 64 MiB.
constexpr size_t kMaxStackValues = size_t(1) << 22;

// The most values one instruction can push: a function's prologue pushes all of its locals at
// once, other instructions a value or two. Counts the functions `func`'s instance can call
// directly, imports included (pelato's instances import only host functions).
size_t maxPushPerInstruction(wi::Store& store, const wi::DefinedFunc& func) {
  size_t most = 0;
  auto instance = store.UnsafeGet<wi::Instance>(func.instance());
  for (wi::Ref ref : instance->funcs()) {
    if (!store.Is<wi::DefinedFunc>(ref)) continue;
    size_t locals = 0;
    for (const auto& l : store.UnsafeGet<wi::DefinedFunc>(ref)->desc().locals) locals += l.count;
    most = std::max(most, locals);
  }
  return most + 8;
}

}  // namespace

std::expected<wi::Values, InterpTrap> callWithBudget(wi::Store& store, const wi::Func::Ptr& func,
                                                     const wi::Values& params, const CallBudget& budget,
                                                     std::optional<Trap>* hostTrap) {
  wi::Thread thread(store);
  auto& frames = thread.*get(FramesTag{});
  frames = std::vector<wi::Frame>();
  frames.reserve(budget.maxCallDepth);

  wi::Trap::Ptr wabtTrap;
  auto trapped = [&](wi::Ref where) -> std::unexpected<InterpTrap> {
    InterpTrap t;
    t.function = where;
    if (hostTrap && *hostTrap) {
      t.trap = std::move(**hostTrap);
      hostTrap->reset();
    } else {
      t.trap.message = wabtTrap ? wabtTrap->message() : "trap";
    }
    return std::unexpected(std::move(t));
  };

  const auto& type = func->type();
  wi::Values results;
  if (!wabt::isa<wi::DefinedFunc>(func.get())) {
    // A host function exported directly (spec tests re-export imports).
    if (wabt::Failed(func->Call(thread, params, results, &wabtTrap))) return trapped(func.ref());
    return results;
  }

  (thread.*get(PushValuesTag{}))(type.params, params);
  const auto& defined = *wabt::cast<wi::DefinedFunc>(func.get());
  if ((thread.*get(PushCallTag{}))(defined, &wabtTrap) == wi::RunResult::Trap) return trapped(func.ref());

  auto& values = thread.*get(ValuesTag{});
  const size_t maxPush = maxPushPerInstruction(store, defined);

  uint64_t executed = 0;
  for (;;) {
    // libwabt 1.0.32 ignores a failed frame push in call_indirect (Thread::DoCall returns Ok
    // and execution goes on in the caller). Near the depth limit we therefore run no more
    // instructions than there are free frames, so that a failed push is the last
    // instruction of its slice and is caught by the trap check below.
    size_t freeFrames = frames.capacity() - frames.size();
    // Likewise no more instructions than could fill the rest of the value stack.
    if (values.size() >= kMaxStackValues) {
      InterpTrap t;
      t.trap.message = "call stack exhausted";
      t.function = frames.back().func;
      return std::unexpected(std::move(t));
    }
    size_t freeValues = (kMaxStackValues - values.size()) / maxPush;
    int slice = static_cast<int>(std::clamp<size_t>(std::min(freeFrames, freeValues), 1, kSlice));
    wi::RunResult r = thread.Run(slice, &wabtTrap);
    if (r == wi::RunResult::Trap || wabtTrap) return trapped(frames.empty() ? func.ref() : frames.back().func);
    if (r == wi::RunResult::Return) break;
    if (r == wi::RunResult::Exception) {
      InterpTrap t;
      t.trap.message = "uncaught exception";
      return std::unexpected(std::move(t));
    }
    executed += static_cast<uint64_t>(slice);
    bool outOfFuel = budget.fuel && executed >= budget.fuel;
    bool late = budget.deadline && std::chrono::steady_clock::now() >= *budget.deadline;
    if (outOfFuel || late) {
      InterpTrap t;
      t.trap.kind = Trap::Kind::Deadline;
      t.trap.message = outOfFuel ? fmt::format("instruction budget of {} exhausted", budget.fuel)
                                 : "deadline exceeded";
      t.function = frames.back().func;
      return std::unexpected(std::move(t));
    }
  }
  (thread.*get(PopValuesTag{}))(type.results, &results);
  return results;
}

}  // namespace pelato::runtime
