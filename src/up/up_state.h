// DATA/up.json: what a running `pelato up` serves (written once everything is healthy, removed
// when it stops), so that a second `up` reports it instead of colliding and `pelato down` can
// stop it. It holds credentials: owner-only.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato::up {

struct UpState {
  pid_t pid = 0;
  std::string lattice;
  std::string natsUrl;
  std::string natsUser;
  std::string natsPassword;
  std::string registry;      // host:port
  std::string dashboardUrl;  // with ?token=
  std::string envFile;
  std::vector<std::string> hosts;  // "edge-1 http://127.0.0.1:8000"
  std::string edgeNatsUrl;  // --edge-leaf: the leaf node the edge hosts use (else empty)
  std::string leafListen;   // --edge-leaf: host:port where the hub accepts leaf nodes
  bool operator==(const UpState&) const = default;
};

std::string encodeState(const UpState& state);
Result<UpState> decodeState(std::string_view json);

std::filesystem::path statePath(const std::filesystem::path& dataDir);
Result<void> writeState(const std::filesystem::path& dataDir, const UpState& state);
// nullopt when there is no state file, or when its process is gone (the stale file is removed).
Result<std::optional<UpState>> runningState(const std::filesystem::path& dataDir);

// Whether `pid` is a live process (not gone, not a zombie waiting for its parent).
bool processRunning(pid_t pid);

// The lines `up` prints once healthy (and a second `up` prints again).
std::string describeState(const UpState& state);

}  // namespace pelato::up
