// `pelato up` from start to stop: claims the ports, writes the config files, starts every
// service under a Supervisor, waits until each is healthy (ports answer, every host answers a
// ping, the orchestrator answers the wadm API), records DATA/up.json, and on stop takes it all
// down in order. The caller (src/cli/up_command.cc) waits for the stop signal in between.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "up/supervisor.h"
#include "up/up_plan.h"
#include "up/up_state.h"

namespace pelato::up {

class RunningLattice {
 public:
  RunningLattice(std::unique_ptr<Supervisor> supervisor, UpState state, std::filesystem::path dataDir)
      : supervisor_(std::move(supervisor)), state_(std::move(state)), dataDir_(std::move(dataDir)) {}
  ~RunningLattice() { stop(); }

  const UpState& state() const { return state_; }
  Supervisor& supervisor() { return *supervisor_; }
  void addHost(std::string description) { state_.hosts.push_back(std::move(description)); }
  // Stops every service and removes DATA/up.json. Idempotent.
  void stop();

 private:
  std::unique_ptr<Supervisor> supervisor_;
  UpState state_;
  std::filesystem::path dataDir_;
};

using Reporter = std::function<void(const std::string&)>;

// `issuerKeyPath`: the account key hosts trust (made if missing). Fails, stopping whatever it
// started, when a port is taken, a program is missing or a service does not become healthy
// within `timeout` (the error names the service and its log).
Result<std::unique_ptr<RunningLattice>> bringUp(UpOptions options, const std::filesystem::path& issuerKeyPath,
                                                std::chrono::milliseconds timeout, const Reporter& report);

}  // namespace pelato::up
