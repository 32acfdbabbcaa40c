// `pelato-host`: `pelato host` (and its stop, drain and undrain) without the rest of the CLI, so
// that a cross build (aarch64, run under qemu-user; scripts/build-aarch64) compiles and links a
// fraction of pelato. Same command line as pelato's: `pelato-host host --nats URL ...`.
#include "cli/commands.h"
#include "cli/global_options.h"

int main(int argc, char** argv) {
  using namespace pelato;
  CLI::App app{"pelato-host: a pelato host alone (`pelato host`)"};
  app.require_subcommand(1);
  cli::GlobalOptions global;
  global.addTo(app, "pelato-host");

  cli::Action action;
  cli::addHostCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  global.apply();
  return action();
}
