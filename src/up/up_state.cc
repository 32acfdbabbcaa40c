#include "up/up_state.h"

#include <signal.h>

#include <cerrno>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "common/file.h"

namespace pelato::up {

std::string encodeState(const UpState& s) {
  nlohmann::ordered_json j = {{"pid", s.pid},
                              {"lattice", s.lattice},
                              {"nats_url", s.natsUrl},
                              {"nats_user", s.natsUser},
                              {"nats_password", s.natsPassword},
                              {"registry", s.registry},
                              {"dashboard_url", s.dashboardUrl},
                              {"env_file", s.envFile},
                              {"hosts", s.hosts}};
  if (!s.edgeNatsUrl.empty()) {
    j["edge_nats_url"] = s.edgeNatsUrl;
    j["leaf_listen"] = s.leafListen;
  }
  return j.dump(2) + "\n";
}

Result<UpState> decodeState(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  try {
    return UpState{.pid = j.at("pid").get<pid_t>(),
                   .lattice = j.at("lattice").get<std::string>(),
                   .natsUrl = j.at("nats_url").get<std::string>(),
                   .natsUser = j.at("nats_user").get<std::string>(),
                   .natsPassword = j.at("nats_password").get<std::string>(),
                   .registry = j.at("registry").get<std::string>(),
                   .dashboardUrl = j.at("dashboard_url").get<std::string>(),
                   .envFile = j.at("env_file").get<std::string>(),
                   .hosts = j.at("hosts").get<std::vector<std::string>>(),
                   // Absent without --edge-leaf (and in files older than it).
                   .edgeNatsUrl = j.value("edge_nats_url", ""),
                   .leafListen = j.value("leaf_listen", "")};
  } catch (const nlohmann::json::exception& e) {
    return fail("{}", e.what());
  }
}

bool processRunning(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) return false;
  auto stat = readTextFile(fmt::format("/proc/{}/stat", pid));
  if (!stat) return true;  // no procfs: trust kill()
  size_t close = stat->rfind(')');  // "pid (comm) state ...": comm may hold spaces
  return close == std::string::npos || close + 2 >= stat->size() || (*stat)[close + 2] != 'Z';
}

std::filesystem::path statePath(const std::filesystem::path& dataDir) { return dataDir / "up.json"; }

Result<void> writeState(const std::filesystem::path& dataDir, const UpState& state) {
  std::string text = encodeState(state);
  return writeFileAtomic(statePath(dataDir), {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

Result<std::optional<UpState>> runningState(const std::filesystem::path& dataDir) {
  auto path = statePath(dataDir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<UpState>();
  auto text = readTextFile(path);
  if (!text) return fail(std::move(text.error()));
  auto state = decodeState(*text);
  // A state file we cannot read, or whose process is gone, is what a crash left behind.
  if (!state || !processRunning(state->pid)) {
    std::filesystem::remove(path, ec);
    return std::optional<UpState>();
  }
  return std::optional<UpState>(std::move(*state));
}

std::string describeState(const UpState& s) {
  std::string hosts;
  for (const auto& h : s.hosts) hosts += fmt::format("  host       {}\n", h);
  std::string leaf = s.edgeNatsUrl.empty()
                         ? ""
                         : fmt::format("  nats-edge  {} (leaf node of nats via {}; the edge hosts use it)\n",
                                       s.edgeNatsUrl, s.leafListen);
  return fmt::format(
      "pelato is up (lattice {}, pid {}):\n"
      "  dashboard  {}\n"
      "  nats       {} (user {}, password {})\n"
      "{}"
      "  registry   {}\n"
      "{}"
      "Use it from a shell: source {}   (then e.g. `pelato brush examples/temperature`)\n"
      "Stop it: Ctrl-C, or `pelato down`\n",
      s.lattice, s.pid, s.dashboardUrl, s.natsUrl, s.natsUser, s.natsPassword, leaf, s.registry, hosts,
      s.envFile);
}

}  // namespace pelato::up
