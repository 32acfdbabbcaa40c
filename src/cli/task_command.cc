// `pelato task`: one exec_task call on a task module, as the host would make it.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "cli/engine_options.h"
#include "runtime/task_abi.h"
#include "runtime/wasi_context.h"

namespace pelato::cli {

namespace {

struct TaskOptions {
  std::string module;
  std::optional<std::string> input;
  EngineOptions engine;
};

int runTask(const TaskOptions& o) {
  auto module = runtime::Module::loadFile(o.module);
  if (!module) {
    fmt::print(stderr, "error: {}\n", module.error().message());
    return 1;
  }
  if (auto ok = runtime::checkTaskAbi(*module); !ok) {
    fmt::print(stderr, "error: {}: {}\n", o.module, ok.error().message());
    return 1;
  }
  std::string input = o.input ? *o.input
                              : std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  // The task's own stdout would mix with its result: send it to stderr, like its logs.
  auto context = runtime::WasiContext::create({.args = {o.module}, .stdoutFd = STDERR_FILENO});
  if (!context) {
    fmt::print(stderr, "error: {}\n", context.error().message());
    return 1;
  }
  auto engine = o.engine.engine();
  if (!engine) {
    fmt::print(stderr, "error: {}\n", engine.error().message());
    return 1;
  }
  runtime::HostFunctions host;
  host.add((*context)->functions());
  auto runner = runtime::TaskRunner::create(
      [&] { return (*engine)->instantiate(*module, host, o.engine.limits()); });
  if (!runner) {
    fmt::print(stderr, "error: {}: {}\n", o.module, runner.error().message());
    return 1;
  }
  auto output = runner->run(input);
  if (!output) {
    fmt::print(stderr, "trap: {}\n", output.error().describe());
    return 134;
  }
  std::fwrite(output->data(), 1, output->size(), stdout);
  return 0;
}

}  // namespace

void addTaskCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<TaskOptions>();
  auto* cmd = app.add_subcommand("task", "Call a task module's exec_task once and print its output");
  cmd->add_option("module", options->module, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  cmd->add_option("--input", options->input, "The input string (default: read stdin)");
  options->engine.addTo(*cmd);
  cmd->callback([options, &action] { action = [options] { return runTask(*options); }; });
}

}  // namespace pelato::cli
