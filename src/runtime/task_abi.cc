#include "runtime/task_abi.h"

namespace pelato::runtime {

namespace {

constexpr std::string_view kSdkHint = "; build the task with pelato's SDK (sdk/c/pelato.h) or export it yourself";

Result<void> expectFunc(const Module& module, std::string_view name, const FuncType& type) {
  const ExportInfo* e = module.findExport(name);
  if (!e || e->kind != ExternKind::Func) return fail("not a pelato task: it does not export function '{}'{}", name, kSdkHint);
  if (e->funcType != type)
    return fail("not a pelato task: '{}' has type {}, expected {}{}", name, toString(e->funcType), toString(type), kSdkHint);
  return {};
}

Trap abiError(std::string message) { return Trap{Trap::Kind::HostError, std::move(message)}; }

}  // namespace

Result<void> checkTaskAbi(const Module& module) {
  // First, so that a plain command is told what it is rather than what it lacks.
  if (module.findExport("_start"))
    return fail("not a pelato task: it is a WASI command (exports _start); build it as a reactor with "
                "-mexec-model=reactor, or run it with `pelato run`");
  const ExportInfo* memory = module.findExport("memory");
  if (!memory || memory->kind != ExternKind::Memory)
    return fail("not a pelato task: it does not export its memory as 'memory'{}", kSdkHint);
  if (auto ok = expectFunc(module, "pelato_alloc", {{ValType::I32}, {ValType::I32}}); !ok) return ok;
  if (auto ok = expectFunc(module, "exec_task", {{ValType::I32, ValType::I32}, {ValType::I64}}); !ok) return ok;
  return {};
}

Result<void> TaskRunner::start() {
  auto instance = factory_();
  if (!instance) return fail(std::move(instance.error()));
  if (auto ok = checkTaskAbi((*instance)->module()); !ok) return ok;
  if (const ExportInfo* init = (*instance)->module().findExport("_initialize"); init && init->kind == ExternKind::Func) {
    auto r = (*instance)->call("_initialize", {});
    if (!r) return fail("the task's _initialize failed: {}", r.error().describe());
  }
  const auto& exports = (*instance)->module().exports();
  auto index = [&](std::string_view name) {
    return static_cast<size_t>((*instance)->module().findExport(name) - exports.data());
  };
  allocExport_ = index("pelato_alloc");  // checkTaskAbi made sure both exist
  execExport_ = index("exec_task");
  instance_ = std::move(*instance);
  return {};
}

Result<TaskRunner> TaskRunner::create(InstanceFactory factory) {
  TaskRunner runner(std::move(factory));
  if (auto ok = runner.start(); !ok) return fail(std::move(ok.error()));
  return runner;
}

std::expected<std::string, Trap> TaskRunner::run(std::string_view input) {
  auto out = runInPlace(input);
  if (!out) return std::unexpected(std::move(out.error()));
  return std::string(*out);
}

std::expected<std::string_view, Trap> TaskRunner::runInPlace(std::string_view input) {
  if (input.size() > INT32_MAX) return std::unexpected(abiError("input larger than 2 GiB"));
  if (!instance_) {
    if (auto ok = start(); !ok) return std::unexpected(abiError("could not restart the task: " + ok.error().message()));
  }
  // Any trap poisons the instance; the next message gets a fresh one.
  auto poisoned = [this](Trap trap) {
    instance_.reset();
    ++restarts_;
    (void)start();  // if this fails too, the next message tries again
    return std::unexpected(std::move(trap));
  };
  Value len = Value::i32(static_cast<uint32_t>(input.size()));
  Value ptr;
  if (auto ok = instance_->callInto(allocExport_, std::span(&len, 1), std::span(&ptr, 1)); !ok)
    return poisoned(std::move(ok.error()));
  uint32_t at = ptr.asI32();
  if (at == 0 || !instance_->memory().write(at, {reinterpret_cast<const uint8_t*>(input.data()), input.size()}))
    return poisoned(abiError(fmt::format("the task could not allocate {} bytes for its input", input.size())));

  Value args[] = {Value::i32(at), len};
  Value packed;
  if (auto ok = instance_->callInto(execExport_, args, std::span(&packed, 1)); !ok)
    return poisoned(std::move(ok.error()));
  uint64_t result = packed.asI64();
  auto out = instance_->memory().string(result >> 32, result & 0xffffffffu);
  if (!out)
    return poisoned(abiError(fmt::format("exec_task returned bytes [{}, +{}) outside its memory", result >> 32,
                                         result & 0xffffffffu)));
  return *out;
}

}  // namespace pelato::runtime
