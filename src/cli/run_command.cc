// `pelato run`: a WASI command (stdio passed through, exit code preserved) or, with
// --invoke, one exported function called with numeric arguments.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/engine_options.h"
#include "runtime/command_abi.h"
#include "runtime/instance.h"

namespace pelato::cli {

namespace {

struct RunOptions {
  std::vector<std::string> dirs;
  std::vector<std::string> env;
  std::string invoke;
  EngineOptions engine;
  std::vector<std::string> moduleAndArgs;
};

constexpr int kTrapExit = 134;

// A process status holds 0-255; a guest exit code outside that range becomes 1, with a note.
int processStatus(int guestExitCode) {
  if (guestExitCode >= 0 && guestExitCode <= 255) return guestExitCode;
  fmt::print(stderr, "pelato: the guest exited with {}, which does not fit in a process status; exiting with 1\n",
             guestExitCode);
  return 1;
}

Result<std::vector<runtime::Preopen>> parseDirs(const std::vector<std::string>& dirs) {
  std::vector<runtime::Preopen> out;
  for (const auto& d : dirs) {
    auto sep = d.find("::");
    std::string host = d.substr(0, sep);
    std::string guest = sep == std::string::npos ? host : d.substr(sep + 2);
    if (host.empty() || guest.empty()) return fail("--dir {}: expected HOST_DIR or HOST_DIR::GUEST_DIR", d);
    out.push_back({host, guest});
  }
  return out;
}

std::string plain(const runtime::Value& v) {
  switch (v.type) {
    case runtime::ValType::I32: return fmt::format("{}", static_cast<int32_t>(v.asI32()));
    case runtime::ValType::I64: return fmt::format("{}", static_cast<int64_t>(v.asI64()));
    case runtime::ValType::F32: return fmt::format("{}", v.asF32());
    case runtime::ValType::F64: return fmt::format("{}", v.asF64());
    default: return toString(v);
  }
}

int invoke(runtime::Engine& engine, const runtime::Module& module, runtime::WasiConfig wasi, const RunOptions& o) {
  const runtime::ExportInfo* e = module.findExport(o.invoke);
  if (!e || e->kind != runtime::ExternKind::Func) {
    fmt::print(stderr, "error: the module exports no function '{}' (see `pelato inspect`)\n", o.invoke);
    return 1;
  }
  std::vector<std::string> raw(o.moduleAndArgs.begin() + 1, o.moduleAndArgs.end());
  if (raw.size() != e->funcType.params.size()) {
    fmt::print(stderr, "error: '{}' takes {} arguments {}, got {}\n", o.invoke, e->funcType.params.size(),
               toString(e->funcType), raw.size());
    return 1;
  }
  std::vector<runtime::Value> args;
  for (size_t i = 0; i < raw.size(); ++i) {
    auto v = runtime::parseValue(e->funcType.params[i], raw[i]);
    if (!v) {
      fmt::print(stderr, "error: argument {}: {}\n", i + 1, v.error().message());
      return 1;
    }
    args.push_back(*v);
  }
  auto context = runtime::WasiContext::create(std::move(wasi));
  if (!context) {
    fmt::print(stderr, "error: {}\n", context.error().message());
    return 1;
  }
  runtime::HostFunctions host;
  host.add((*context)->functions());
  auto instance = engine.instantiate(module, host, o.engine.limits());
  if (!instance) {
    fmt::print(stderr, "error: {}\n", instance.error().message());
    return 1;
  }
  auto results = (*instance)->call(o.invoke, args);
  if (!results) {
    if (results.error().kind == runtime::Trap::Kind::Exit) return processStatus(results.error().exitCode);
    fmt::print(stderr, "trap: {}\n", results.error().describe());
    return kTrapExit;
  }
  for (const auto& v : *results) fmt::print("{}\n", plain(v));
  return 0;
}

int run(const RunOptions& o) {
  auto module = runtime::Module::loadFile(o.moduleAndArgs[0]);
  if (!module) {
    fmt::print(stderr, "error: {}\n", module.error().message());
    return 1;
  }
  auto preopens = parseDirs(o.dirs);
  if (!preopens) {
    fmt::print(stderr, "error: {}\n", preopens.error().message());
    return 1;
  }
  auto engine = o.engine.engine();
  if (!engine) {
    fmt::print(stderr, "error: {}\n", engine.error().message());
    return 1;
  }
  runtime::WasiConfig wasi{.args = o.moduleAndArgs, .env = o.env, .preopens = *preopens};
  if (!o.invoke.empty()) return invoke(**engine, *module, std::move(wasi), o);

  auto result = runtime::runCommand(**engine, *module, std::move(wasi), o.engine.limits());
  if (!result) {
    fmt::print(stderr, "error: {}\n", result.error().message());
    return 1;
  }
  std::fflush(stdout);
  if (result->trap) {
    fmt::print(stderr, "trap: {}\n", result->trap->describe());
    return kTrapExit;
  }
  return processStatus(result->exitCode);
}

}  // namespace

void addRunCommand(CLI::App& app, Action& action) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run a WASI command module, or call one exported function");
  cmd->add_option("--dir", options->dirs, "Preopen HOST_DIR for the guest, as GUEST_DIR if given (HOST_DIR[::GUEST_DIR])")->allow_extra_args(false);
  cmd->add_option("--env", options->env, "Set an environment variable for the guest (K=V)")->allow_extra_args(false);
  cmd->add_option("--invoke", options->invoke, "Call this exported function with the numeric ARGS and print its results");
  options->engine.addTo(*cmd);
  // MODULE.wasm and everything after it belong to the guest, dashes included.
  cmd->prefix_command();
  cmd->footer("Usage: pelato run [OPTIONS] MODULE.wasm [ARGS...]");
  cmd->callback([options, cmd, &action] {
    options->moduleAndArgs = cmd->remaining();
    if (options->moduleAndArgs.empty()) throw CLI::RequiredError("MODULE.wasm");
    for (const auto& e : options->env) {
      if (e.find('=') == std::string::npos) throw CLI::ValidationError("--env", e + ": expected K=V");
    }
    action = [options] { return run(*options); };
  });
}

}  // namespace pelato::cli
