// The task ABI: `exec_task(string) -> string` over a warm instance (see sdk/c/pelato.h).
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/instance.h"

namespace pelato::runtime {

// Checks that a module speaks the task ABI; the error says what is missing and how to fix it.
Result<void> checkTaskAbi(const Module& module);

// Runs messages through a warm instance. After a trap the instance is discarded and a fresh
// one takes the next message: a trapped guest's own state (its C stack pointer, its heap) can
// no longer be trusted, as with a crashed process.
class TaskRunner {
 public:
  using InstanceFactory = std::function<Result<std::unique_ptr<Instance>>()>;

  // Creates the first instance, checks the ABI and runs the reactor's `_initialize` once.
  static Result<TaskRunner> create(InstanceFactory factory);

  // One message: allocates the input in the guest, calls exec_task, copies the result out.
  std::expected<std::string, Trap> run(std::string_view input);
  // The same without copying the result out: it stays in the instance's memory, valid until the
  // next call on this runner.
  std::expected<std::string_view, Trap> runInPlace(std::string_view input);

  // The current instance (a fresh one if the last message trapped and a restart failed, the
  // next run() tries again).
  Instance* instance() { return instance_.get(); }
  // Instances replaced after traps so far.
  size_t restarts() const { return restarts_; }

 private:
  explicit TaskRunner(InstanceFactory factory) : factory_(std::move(factory)) {}
  Result<void> start();

  InstanceFactory factory_;
  std::unique_ptr<Instance> instance_;
  // instance_'s pelato_alloc and exec_task, as indices into its module's exports (looked up
  // once per instance, not by name on every message).
  size_t allocExport_ = 0, execExport_ = 0;
  size_t restarts_ = 0;
};

}  // namespace pelato::runtime
