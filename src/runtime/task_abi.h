// The task ABI: `exec_task(string) -> string` over a warm instance (see sdk/c/pelato.h).
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/instance.h"

namespace pelato::runtime {

// Checks that a module speaks the task ABI; the error says what is missing and how to fix it.
Result<void> checkTaskAbi(const Module& module);

class TaskRunner {
 public:
  // Takes a fresh instance, checks the ABI and runs the reactor's `_initialize` once.
  static Result<TaskRunner> create(std::unique_ptr<Instance> instance);

  // One message: allocates the input in the guest, calls exec_task, copies the result out.
  std::expected<std::string, Trap> run(std::string_view input);

  Instance& instance() { return *instance_; }

 private:
  explicit TaskRunner(std::unique_ptr<Instance> instance) : instance_(std::move(instance)) {}
  std::unique_ptr<Instance> instance_;
};

}  // namespace pelato::runtime
