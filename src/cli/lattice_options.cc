#include "cli/lattice_options.h"

#include <fmt/format.h>

namespace pelato::cli {

void LatticeOptions::addTo(CLI::App& command, const std::string& natsHelp) {
  command.add_option("--nats", nats, natsHelp)->envname("NATS_URL")->capture_default_str();
  command.add_option("--nats-user", auth.user, "NATS user name")->envname("NATS_USER");
  command.add_option("--nats-password", auth.password, "NATS password")->envname("NATS_PASSWORD");
  command.add_option("--nats-token", auth.token, "NATS authentication token")->envname("NATS_TOKEN");
  command.add_option("--creds", auth.credsFile, "NATS credentials file (user JWT and nkey seed)")
      ->envname("NATS_CREDS")
      ->check(CLI::ExistingFile);
  command.add_option("--lattice", lattice, "Lattice name")->envname("PELATO_LATTICE")->capture_default_str();
}

int reportError(const Error& error) {
  fmt::print(stderr, "error: {}\n", error.message());
  return 1;
}

int runControl(const LatticeOptions& options, std::chrono::milliseconds timeout,
               const std::function<Result<void>(lattice::CtlClient&)>& body) {
  auto subjects = lattice::Subjects::create(options.lattice);
  if (!subjects) return reportError(subjects.error());
  auto nats = lattice::NatsClient::connect({.url = options.nats, .auth = options.auth, .name = "pelato ctl"});
  if (!nats) return reportError(nats.error());  // it names the URL and says what to check
  lattice::CtlClient client(**nats, std::move(*subjects), timeout);
  auto done = body(client);
  if (!done) return reportError(done.error());
  return 0;
}

}  // namespace pelato::cli
