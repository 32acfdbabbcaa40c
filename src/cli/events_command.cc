// `pelato events [-o json] [--type T]`: tails the lattice's events (wasmbus.evt.<lattice>.>)
// until SIGINT/SIGTERM, one line per event.
#include <fmt/format.h>
#include <signal.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/event_format.h"
#include "cli/lattice_options.h"
#include "cli/stop_signals.h"
#include "cli/output_format.h"

namespace pelato::cli {

namespace {

struct EventsOptions {
  LatticeOptions lattice;
  OutputOptions output;
  std::string type;
};

void printEvent(const EventsOptions& o, const Result<lattice::CloudEvent>& event, const std::string& raw) {
  if (!event) {
    fmt::print(stderr, "warning: skipping a message that is not a CloudEvent ({}): {}\n", event.error().message(),
               raw.substr(0, 200));
    return;
  }
  // The JSON form is re-serialised so that each event is exactly one line.
  std::string line = o.output.json() ? lattice::dumpJson(event->toJson()) : formatEvent(*event);
  fmt::print("{}\n", line);
  std::fflush(stdout);  // lines appear as they happen, also through a pipe
}

int tailEvents(const EventsOptions& o) {
  // Signals are taken synchronously by this thread; nats.c's threads inherit the blocked mask.
  sigset_t signals = blockStopSignals();

  std::optional<std::string> type;
  if (!o.type.empty()) {
    std::string_view t = o.type;
    if (t.starts_with(lattice::kLatticeEventPrefix)) t.remove_prefix(lattice::kLatticeEventPrefix.size());
    type = std::string(t);
  }
  return runControl(o.lattice, std::chrono::seconds(2), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto subscription = ctl.subscribeEvents(
        type, [&o](Result<lattice::CloudEvent> event, const std::string& raw) { printEvent(o, event, raw); });
    if (!subscription) return fail(std::move(subscription.error()));
    int signal = 0;
    while (signal != SIGINT && signal != SIGTERM) signal = sigwaitinfo(&signals, nullptr);
    return {};
  });
}

}  // namespace

void addEventsCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<EventsOptions>();
  auto* cmd = app.add_subcommand("events", "Print the lattice's events as they happen, until Ctrl-C");
  cmd->add_option("--type", o->type, "Only this event type, e.g. host_heartbeat or component_scaled");
  o->output.addTo(*cmd);
  o->lattice.addTo(*cmd);
  cmd->callback([o, &action] { action = [o] { return tailEvents(*o); }; });
}

}  // namespace pelato::cli
