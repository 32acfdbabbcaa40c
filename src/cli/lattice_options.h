// What every command that talks to a lattice shares: the NATS URL (--nats, $NATS_URL), its
// credentials (--nats-user/--nats-password, --nats-token, --creds; $NATS_USER, $NATS_PASSWORD,
// $NATS_TOKEN, $NATS_CREDS), the lattice name (--lattice, $PELATO_LATTICE), and a short-lived
// control connection.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "lattice/ctl_client.h"
#include "lattice/nats_client.h"

namespace pelato::cli {

struct LatticeOptions {
  std::string nats = "nats://127.0.0.1:4222";
  lattice::NatsAuth auth;
  std::string lattice = "default";

  void addTo(CLI::App& command, const std::string& natsHelp = "NATS server URL(s), comma-separated");
};

// Connects to the lattice, runs `body` with a control client whose requests wait `timeout`,
// and turns the outcome into an exit code: 0, or 1 with "error: ..." on stderr.
int runControl(const LatticeOptions& options, std::chrono::milliseconds timeout,
               const std::function<Result<void>(lattice::CtlClient&)>& body);

// Prints "error: <message>" on stderr; returns 1 (the exit code of a failed command).
int reportError(const Error& error);

}  // namespace pelato::cli
