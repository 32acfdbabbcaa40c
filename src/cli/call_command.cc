// `pelato call COMPONENT_ID --input STR`: one request/reply call into a running component
// (wasmbus.rpc.<lattice>.<id>); the reply is exec_task's output, printed as is.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>

#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "common/file.h"

namespace pelato::cli {

namespace {

struct CallOptions {
  LatticeOptions lattice;
  std::string componentId;
  std::optional<std::string> input;
  std::optional<std::string> inputFile;
  uint64_t timeoutMs = 5000;
};

Result<std::string> readInput(const CallOptions& o) {
  if (o.inputFile) {
    auto text = readTextFile(*o.inputFile);
    if (!text) return fail(std::move(text.error()).context("--input-file"));
    return std::move(*text);
  }
  if (!o.input) return fail("say what to send: --input TEXT, --input-file FILE, or --input - to read stdin");
  if (*o.input != "-") return *o.input;
  std::string data{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) return fail("reading the input from stdin failed");
  return data;
}

int call(const CallOptions& o) {
  auto input = readInput(o);
  if (!input) return reportError(input.error());
  auto timeout = std::chrono::milliseconds(o.timeoutMs);
  return runControl(o.lattice, timeout, [&](lattice::CtlClient& ctl) -> Result<void> {
    auto output = ctl.call(o.componentId, *input, timeout);
    if (!output) return fail(std::move(output.error()));
    std::fwrite(output->data(), 1, output->size(), stdout);
    // Raw for pipes; on a terminal, end the line so the prompt does not run into the output.
    if (isatty(STDOUT_FILENO) && !output->ends_with('\n')) std::fputc('\n', stdout);
    std::fflush(stdout);
    return {};
  });
}

}  // namespace

void addCallCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<CallOptions>();
  auto* cmd = app.add_subcommand("call", "Call a running component once and print its output (wasmbus.rpc)");
  cmd->add_option("component", o->componentId, "Component id")->required();
  auto* input = cmd->add_option("--input", o->input, "The input text, or - to read stdin");
  cmd->add_option("--input-file", o->inputFile, "Read the input from a file")->excludes(input);
  cmd->add_option("--timeout-ms", o->timeoutMs, "How long to wait for the reply")->capture_default_str();
  o->lattice.addTo(*cmd);
  cmd->callback([o, &action] { action = [o] { return call(*o); }; });
}

}  // namespace pelato::cli
