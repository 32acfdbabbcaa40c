// `pelato up` end to end: the real binary brings up nats-server (authentication on), a registry,
// the orchestrator, an edge and a cloud host and the dashboard, all healthy; a second `up`
// reports the running one; a port in use is reported, not crashed on; a host killed behind `up`
// is restarted and the orchestrator puts its work back; `pelato down` stops everything; with
// --edge-leaf the edge hosts join through a leaf nats-server.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/file.h"
#include "common/subprocess.h"
#include "lattice/ctl_client.h"
#include "support/child_process.h"

namespace pelato {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;

struct Up {
  TempDir root = *TempDir::create("pelato-up-it");
  fs::path data = root.path() / "data";
  std::unique_ptr<ChildProcess> process;
  nlohmann::json state;

  std::vector<std::string> env() const {
    return {"/usr/bin/env", "XDG_CONFIG_HOME=" + (root.path() / "config").string(), PELATO_BINARY};
  }
  std::vector<std::string> command(std::vector<std::string> args) const {
    auto argv = env();
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::vector<std::string> upArgs() const {
    return command({"up", "--data-dir", data.string(), "--nats-port", "0", "--registry-port", "0", "--dashboard-port",
                    "0", "--host-http-port", "0"});
  }
  ProcessResult run(std::vector<std::string> args, std::vector<std::string> extraEnv = {}) const {
    auto argv = env();
    argv.insert(argv.begin() + 1, extraEnv.begin(), extraEnv.end());
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = runProcess(argv, {.timeout = 120s});
    EXPECT_TRUE(result) << result.error().message();
    return result.value_or(ProcessResult{.exitCode = -1});
  }

  void start(std::vector<std::string> extraArgs = {}) {
    auto argv = upArgs();
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    auto child = ChildProcess::start(argv);
    ASSERT_TRUE(child) << child.error().message();
    process = std::move(*child);
    ASSERT_TRUE(process->waitForOutput("healthy in", 60s)) << process->output();
    auto text = readTextFile(data / "up.json");
    ASSERT_TRUE(text) << text.error().message();
    state = nlohmann::json::parse(*text);
  }

  std::vector<std::string> natsEnv() const {
    return {"NATS_URL=" + state["nats_url"].get<std::string>(), "NATS_USER=" + state["nats_user"].get<std::string>(),
            "NATS_PASSWORD=" + state["nats_password"].get<std::string>()};
  }
};

// The pids of `parent`'s children whose command line contains `text`.
std::vector<pid_t> childrenMatching(pid_t parent, std::string_view text) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    pid_t pid = std::atoi(entry.path().filename().c_str());
    if (pid <= 0) continue;
    auto stat = readTextFile(entry.path() / "stat");
    auto cmdline = readTextFile(entry.path() / "cmdline");
    if (!stat || !cmdline) continue;
    // stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
    size_t close = stat->rfind(')');
    if (close == std::string::npos) continue;
    pid_t ppid = 0;
    char state = 0;
    if (std::sscanf(stat->c_str() + close + 1, " %c %d", &state, &ppid) != 2 || ppid != parent) continue;
    std::replace(cmdline->begin(), cmdline->end(), '\0', ' ');
    if (cmdline->find(text) != std::string::npos) out.push_back(pid);
  }
  return out;
}

// True when none of `pids` is running any more.
bool allGone(const std::vector<pid_t>& pids) {
  return std::none_of(pids.begin(), pids.end(), [](pid_t p) { return ::kill(p, 0) == 0; });
}

TEST(Up, EverythingHealthyASecondUpReportsItAndDownStopsIt) {
  Up up;
  up.start();
  pid_t pid = up.process->pid();
  EXPECT_EQ(up.state["pid"].get<pid_t>(), pid);
  for (const char* service : {"nats-server", "docker-registry", "orchestrator", "--name edge-1", "--name cloud-1",
                              "dashboard"})
    EXPECT_EQ(childrenMatching(pid, service).size(), 1u) << service;

  // NATS requires the credentials up printed; both hosts answer with their labels.
  auto ping = up.run({"get", "hosts", "-o", "json"}, up.natsEnv());
  ASSERT_EQ(ping.exitCode, 0) << ping.err;
  EXPECT_NE(ping.out.find("\"host-type\": \"edge\""), std::string::npos) << ping.out;
  EXPECT_NE(ping.out.find("\"host-type\": \"cloud\""), std::string::npos) << ping.out;
  auto refused = up.run({"get", "hosts"}, {"NATS_URL=" + up.state["nats_url"].get<std::string>(), "NATS_USER=",
                                           "NATS_PASSWORD="});
  EXPECT_NE(refused.exitCode, 0) << "NATS without credentials answered";

  // The dashboard answers on its URL.
  std::string dashboard = up.state["dashboard_url"];
  auto health = runProcess({"curl", "-sS", "--max-time", "5", dashboard.substr(0, dashboard.find("/?")) + "/healthz"});
  ASSERT_TRUE(health);
  EXPECT_EQ(health->exitCode, 0) << health->err;

  auto second = up.run({"up", "--data-dir", up.data.string()});
  EXPECT_EQ(second.exitCode, 0) << second.err;
  EXPECT_NE(second.out.find("already running"), std::string::npos) << second.out;

  auto services = childrenMatching(pid, "");
  auto down = up.run({"down", "--data-dir", up.data.string()});
  EXPECT_EQ(down.exitCode, 0) << down.err;
  EXPECT_EQ(up.process->waitExit(15s), 0);
  EXPECT_FALSE(fs::exists(up.data / "up.json"));
  EXPECT_TRUE(allGone(services));
}

TEST(Up, APortInUseIsReportedWithTheFlagThatChangesIt) {
  Up up;
  up.start();
  // The first up holds its NATS port; a second one in another data dir asks for the same port.
  std::string url = up.state["nats_url"];
  std::string port = url.substr(url.rfind(':') + 1);
  auto clash = up.run({"up", "--data-dir", (up.root.path() / "other").string(), "--nats-port", port});
  EXPECT_EQ(clash.exitCode, 1);
  EXPECT_NE(clash.err.find(fmt::format("port {} (nats-server) is in use", port)), std::string::npos) << clash.err;
  EXPECT_NE(clash.err.find("--nats-port"), std::string::npos) << clash.err;
  up.process->signal(SIGTERM);
  EXPECT_EQ(up.process->waitExit(20s), 0);
}

TEST(Up, AKilledHostIsRestartedAndTheOrchestratorPutsItsWorkBack) {
  Up up;
  up.start();
  pid_t pid = up.process->pid();
  // The thesis's example on this lattice: its HTTP task runs on the edge host.
  fs::path project = up.root.path() / "temperature";
  fs::copy(fs::path(PELATO_SOURCE_DIR) / "examples" / "temperature", project, fs::copy_options::recursive);
  auto env = up.natsEnv();
  std::string nats = up.state["nats_url"];
  env.push_back("NATS_HOST=127.0.0.1");
  env.push_back("NATS_PORT=" + nats.substr(nats.rfind(':') + 1));
  env.push_back("REGISTRY_URL=" + up.state["registry"].get<std::string>() + "/pelato");
  auto brush = up.run({"brush", project.string()}, env);
  ASSERT_EQ(brush.exitCode, 0) << brush.out << brush.err;

  auto client = lattice::NatsClient::connect({.url = nats,
                                              .auth = {.user = up.state["nats_user"], .password = up.state["nats_password"]}});
  ASSERT_TRUE(client) << client.error().message();
  lattice::CtlClient ctl(**client, *lattice::Subjects::create("default"), 1s);
  // Which host (by friendly name) runs the conversion task, and its id.
  auto runner = [&]() -> std::pair<std::string, std::string> {
    auto hosts = ctl.pingHosts(300ms);
    if (!hosts) return {};
    for (const auto& h : *hosts) {
      auto inventory = ctl.inventory(h.id);
      if (!inventory) continue;
      for (const auto& c : inventory->components)
        if (c.id.find("celsius_to_kelvin_conversion") != std::string::npos && c.maxInstances > 0)
          return {h.friendlyName, h.id};
    }
    return {};
  };
  auto [name, before] = runner();
  ASSERT_EQ(name, "edge-1");

  auto edge = childrenMatching(pid, "--name edge-1");
  ASSERT_EQ(edge.size(), 1u);
  ::kill(edge[0], SIGKILL);
  // The supervisor starts a new edge-1 (a new host id) and the orchestrator places the task on it
  // (meanwhile it may run on the cloud host as the edge's fallback).
  auto deadline = Clock::now() + 30s;
  std::pair<std::string, std::string> now;
  while (Clock::now() < deadline) {
    now = runner();
    if (now.first == "edge-1" && now.second != before) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(now.first, "edge-1");
  EXPECT_NE(now.second, before) << "the conversion task is not on a new edge-1";
  EXPECT_EQ(childrenMatching(pid, "--name edge-1").size(), 1u);

  // The dashboard sees it too: the new edge-1 with the task, the dead one gone.
  std::string dashboard = up.state["dashboard_url"];
  std::string token = dashboard.substr(dashboard.find("token=") + 6);
  std::string stateUrl = dashboard.substr(0, dashboard.find("/?")) + "/api/state";
  bool seen = false;
  std::string last;
  while (!seen && Clock::now() < deadline + 10s) {
    auto got = runProcess({"curl", "-sS", "--max-time", "5", "-H", "Authorization: Bearer " + token, stateUrl});
    if (got && got->exitCode == 0) {
      last = got->out;
      auto view = nlohmann::json::parse(got->out, nullptr, false);
      bool oldGone = true, newHasTask = false;
      if (view.is_object() && view.contains("hosts"))
        for (const auto& h : view["hosts"]) {
          if (h.value("id", "") == before) oldGone = false;
          if (h.value("id", "") != now.second) continue;
          for (const auto& c : h.value("components", nlohmann::json::array()))
            if (c.value("id", "").find("celsius_to_kelvin_conversion") != std::string::npos) newHasTask = true;
        }
      seen = oldGone && newHasTask;
    }
    if (!seen) std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(seen) << "the dashboard's view: " << last;

  auto services = childrenMatching(pid, "");
  up.process->signal(SIGINT);
  EXPECT_EQ(up.process->waitExit(20s), 0);
  EXPECT_TRUE(allGone(services));
}

TEST(Up, WithAnEdgeLeafTheEdgeHostsUseTheLeafAndTheHubSeesThem) {
  Up up;
  up.start({"--edge-leaf", "--leaf-port", "0", "--edge-nats-port", "0"});
  pid_t pid = up.process->pid();
  EXPECT_EQ(childrenMatching(pid, "nats-server").size(), 2u);
  EXPECT_EQ(childrenMatching(pid, "nats-edge.conf").size(), 1u);
  std::string hub = up.state["nats_url"];
  std::string edge = up.state.value("edge_nats_url", "");
  ASSERT_FALSE(edge.empty()) << up.state.dump();
  EXPECT_NE(edge, hub);
  EXPECT_NE(up.process->output().find("nats-edge  " + edge + " (leaf node of nats via " +
                                      up.state.value("leaf_listen", "?")),
            std::string::npos)
      << up.process->output();

  // Each host says which server it joined: edge-1 the leaf, cloud-1 the hub.
  auto edgeLog = readTextFile(up.data / "logs" / "edge-1.log");
  auto cloudLog = readTextFile(up.data / "logs" / "cloud-1.log");
  ASSERT_TRUE(edgeLog && cloudLog);
  EXPECT_NE(edgeLog->find("started on lattice default (" + edge), std::string::npos) << *edgeLog;
  EXPECT_NE(cloudLog->find("started on lattice default (" + hub), std::string::npos) << *cloudLog;
  // From the hub both answer (the edge host through the leaf, its JetStream from the hub's).
  auto ping = up.run({"get", "hosts", "-o", "json"}, up.natsEnv());
  ASSERT_EQ(ping.exitCode, 0) << ping.err;
  EXPECT_NE(ping.out.find("\"host-type\": \"edge\""), std::string::npos) << ping.out;
  EXPECT_NE(ping.out.find("\"host-type\": \"cloud\""), std::string::npos) << ping.out;

  up.process->signal(SIGINT);
  EXPECT_EQ(up.process->waitExit(20s), 0);
}

}  // namespace
}  // namespace pelato
