// The lattice control CLI end to end: the real `pelato` binary, run as a subprocess, against two
// real `pelato host` processes on a real nats-server. Assertions are on what people see.
#include <signal.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "common/file.h"
#include "common/subprocess.h"
#include "lattice/events.h"
#include "lattice/json_reader.h"
#include "support/child_process.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using testing::ChildProcess;

constexpr const char* kLattice = "clitest";

class CliIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::NatsServer::start();
    if (!server) GTEST_SKIP() << server.error().message();
    server_ = std::move(*server);
    east_ = startHost("east", "zone=east");
    west_ = startHost("west", "zone=west");
  }

  testing::HostChild startHost(const std::string& name, const std::string& label) {
    return testing::startHost(PELATO_BINARY, server_->url(), kLattice,
                              {"--name", name, "--label", label, "--tier", "interp"});
  }

  // `pelato ARGS... --nats URL --lattice clitest`
  ProcessResult pelato(std::vector<std::string> args, std::string stdinData = {},
                       std::optional<std::filesystem::path> cwd = {}) {
    args.insert(args.begin(), PELATO_BINARY);
    args.insert(args.end(), {"--nats", server_->url(), "--lattice", kLattice});
    auto result = runProcess(args, {.cwd = std::move(cwd), .stdinData = std::move(stdinData), .timeout = 20s});
    EXPECT_TRUE(result) << result.error().message();
    return result ? *result : ProcessResult{.exitCode = -1};
  }

  std::string guest(const std::string& name) { return std::string(PELATO_GUEST_DIR) + "/" + name + ".wasm"; }

  // Scales `id` from upper_task.wasm on the east host and checks the success lines.
  void scaleUpper(const std::string& id, int count) {
    auto scaled = pelato({"scale", "component", guest("upper_task"), "--id", id, "--host", east_.id, "--count",
                          std::to_string(count)});
    ASSERT_EQ(scaled.exitCode, 0) << scaled.out << scaled.err;
    EXPECT_NE(scaled.out.find(fmt::format("component {} scaled to {} instance", id, count)), std::string::npos)
        << scaled.out;
  }

  std::unique_ptr<testing::NatsServer> server_;
  testing::HostChild east_;
  testing::HostChild west_;
};

TEST_F(CliIntegration, GetHostsListsBothHostsWithTheirLabels) {
  auto table = pelato({"get", "hosts", "--timeout-ms", "500"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("HOST ID")) << table.out;
  for (const auto* host : {&east_, &west_}) {
    auto line = table.out.find(host->id);
    ASSERT_NE(line, std::string::npos) << table.out;
    std::string row = table.out.substr(line, table.out.find('\n', line) - line);
    std::string name = host == &east_ ? "east" : "west";
    EXPECT_NE(row.find(name + "  "), std::string::npos) << row;
    EXPECT_NE(row.find("zone=" + name), std::string::npos) << row;
    EXPECT_NE(row.find("0.1.0"), std::string::npos) << row;
  }

  auto json = pelato({"get", "hosts", "--timeout-ms", "500", "-o", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  auto hosts = lattice::parseJson(json.out);
  ASSERT_TRUE(hosts && hosts->is_array() && hosts->size() == 2) << json.out;
  EXPECT_EQ((*hosts)[0]["friendly_name"], "east");  // sorted by name
  EXPECT_EQ((*hosts)[0]["id"], east_.id);
  EXPECT_EQ((*hosts)[0]["labels"]["zone"], "east");
  EXPECT_EQ((*hosts)[1]["labels"]["zone"], "west");
}

TEST_F(CliIntegration, ScaleWaitsForTheEventAndInventoryShowsTheComponent) {
  scaleUpper("upper", 2);

  auto inventory = pelato({"get", "inventory", east_.id});
  ASSERT_EQ(inventory.exitCode, 0) << inventory.err;
  EXPECT_NE(inventory.out.find("NAME     east\n"), std::string::npos) << inventory.out;
  EXPECT_NE(inventory.out.find("LABELS   zone=east\n"), std::string::npos) << inventory.out;
  std::string row = "upper         file://" + guest("upper_task") + "  2";
  EXPECT_NE(inventory.out.find(row), std::string::npos) << inventory.out;

  auto json = pelato({"get", "inventory", east_.id, "-o", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  auto parsed = lattice::parseJson(json.out);
  ASSERT_TRUE(parsed) << json.out;
  ASSERT_EQ((*parsed)["components"].size(), 1u) << json.out;
  EXPECT_EQ((*parsed)["components"][0]["id"], "upper");
  EXPECT_EQ((*parsed)["components"][0]["max_instances"], 2);

  auto other = pelato({"get", "inventory", west_.id});
  ASSERT_EQ(other.exitCode, 0) << other.err;
  EXPECT_NE(other.out.find("no components"), std::string::npos) << other.out;

  // A path relative to the current directory is sent as an absolute file:// ref.
  auto relative = pelato({"scale", "component", "upper_task.wasm", "--id", "upper", "--host", east_.id, "--count", "1"},
                         {}, PELATO_GUEST_DIR);
  ASSERT_EQ(relative.exitCode, 0) << relative.err;
  EXPECT_NE(relative.out.find("component upper scaled to 1 instance on host " + east_.id + " (file://" +
                              guest("upper_task") + ")"),
            std::string::npos)
      << relative.out;

  auto stopped = pelato({"scale", "component", guest("upper_task"), "--id", "upper", "--host", east_.id,
                         "--count", "0"});
  ASSERT_EQ(stopped.exitCode, 0) << stopped.err;
  EXPECT_NE(stopped.out.find("component upper stopped on host " + east_.id), std::string::npos) << stopped.out;
}

TEST_F(CliIntegration, ScaleFailuresExitNonZeroWithTheReason) {
  auto missing = pelato({"scale", "component", "/no/such/dir/task.wasm", "--id", "ghost", "--host", east_.id,
                         "--count", "1"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("failed to scale component ghost to 1: cannot read /no/such/dir/task.wasm"),
            std::string::npos)
      << missing.err;

  auto notTask = pelato({"scale", "component", guest("task_as_command"), "--id", "cmd", "--host", east_.id,
                         "--count", "1"});
  EXPECT_EQ(notTask.exitCode, 1);
  EXPECT_NE(notTask.err.find("not a task ABI module"), std::string::npos) << notTask.err;

  auto nowhere = pelato({"scale", "component", guest("upper_task"), "--id", "u", "--host", "NOSUCHHOST",
                         "--count", "1", "--timeout-ms", "300"});
  EXPECT_EQ(nowhere.exitCode, 1);
  EXPECT_NE(nowhere.err.find("no host NOSUCHHOST answered on lattice clitest within 300 ms; `pelato get "
                             "hosts` lists them"),
            std::string::npos)
      << nowhere.err;
}

TEST_F(CliIntegration, InventoryOfAnUnknownHostSaysHowToFindHosts) {
  auto result = pelato({"get", "inventory", "NOPE", "--timeout-ms", "300"});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err, "error: no host NOPE answered on lattice clitest within 300 ms; `pelato get hosts` lists them\n");
}

TEST_F(CliIntegration, LinkPutGetDelete) {
  auto put = pelato({"link", "put", "--source", "upper", "--target", "nats", "--namespace", "wasmcloud",
                     "--package", "messaging", "--interface", "consumer", "--source-config",
                     "subscriptions=in.cli", "destination=out.cli"});
  ASSERT_EQ(put.exitCode, 0) << put.err;
  EXPECT_EQ(put.out, "link put: upper -> nats on wasmcloud:messaging/consumer (name default)\n");

  auto table = pelato({"link", "get"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_NE(table.out.find("upper   default  nats    wasmcloud:messaging/consumer  subscriptions=in.cli "
                           "destination=out.cli"),
            std::string::npos)
      << table.out;
  auto json = pelato({"link", "get", "-o", "json"});
  auto links = lattice::parseJson(json.out);
  ASSERT_TRUE(links && links->size() == 1) << json.out;
  EXPECT_EQ((*links)[0]["source_config"], Json::array({"subscriptions=in.cli", "destination=out.cli"}));

  auto bad = pelato({"link", "put", "--source", "upper", "--target", "nats", "--namespace", "wasmcloud",
                     "--package", "messaging", "--interface", "consumer"});
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("link.put refused: "), std::string::npos) << bad.err;

  auto del = pelato({"link", "del", "--source", "upper", "--namespace", "wasmcloud", "--package", "messaging"});
  ASSERT_EQ(del.exitCode, 0) << del.err;
  EXPECT_EQ(del.out, "link deleted: upper on wasmcloud:messaging (name default)\n");
  auto empty = pelato({"link", "get"});
  EXPECT_EQ(empty.out, "no links\n");
}

// The start of a `pelato events` line after the time: the type in its column, then the host.
std::string line(std::string_view type, const std::string& host) { return fmt::format("{:<22} {}", type, host); }

TEST_F(CliIntegration, EventsPrintsHeartbeatsAndScaleEventsUntilSigint) {
  auto events = ChildProcess::start({PELATO_BINARY, "events", "--nats", server_->url(), "--lattice", kLattice});
  ASSERT_TRUE(events) << events.error().message();
  auto json = ChildProcess::start({PELATO_BINARY, "events", "-o", "json", "--type", "host_heartbeat", "--nats",
                                   server_->url(), "--lattice", kLattice});
  ASSERT_TRUE(json) << json.error().message();
  // Heartbeats come every 200 ms from each host: wait for a few from both.
  ASSERT_TRUE((*events)->waitForOutput(line("host_heartbeat", east_.id) + " name=east", 5s, 2))
      << (*events)->output();
  ASSERT_TRUE((*events)->waitForOutput(line("host_heartbeat", west_.id) + " name=west", 5s, 2))
      << (*events)->output();
  scaleUpper("upper", 1);
  EXPECT_TRUE((*events)->waitForOutput(line("component_scaled", east_.id) + " component=upper instances=1", 5s))
      << (*events)->output();

  (*events)->signal(SIGINT);
  EXPECT_EQ((*events)->waitExit(5s), 0);
  ASSERT_TRUE((*json)->waitForOutput("\n", 5s, 3)) << (*json)->output();
  (*json)->signal(SIGTERM);
  EXPECT_EQ((*json)->waitExit(5s), 0);
  std::string text = (*json)->output();
  size_t lines = 0;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1, ++lines) {
    auto event = lattice::decode<lattice::CloudEvent>(text.substr(start, end - start));
    ASSERT_TRUE(event) << text.substr(start, end - start);
    EXPECT_EQ(event->latticeType(), "host_heartbeat");
  }
  EXPECT_GE(lines, 3u);
}

TEST_F(CliIntegration, HostStopMakesTheHostExit) {
  auto stopped = pelato({"host", "stop", west_.id});
  ASSERT_EQ(stopped.exitCode, 0) << stopped.err;
  EXPECT_NE(stopped.out.find(west_.id), std::string::npos) << stopped.out;
  EXPECT_EQ(west_.process->waitExit(10s), 0) << west_.process->output();
  EXPECT_NE(west_.process->output().find("host " + west_.id + " stopped (stop)"), std::string::npos);

  auto hosts = pelato({"get", "hosts", "--timeout-ms", "500"});
  EXPECT_NE(hosts.out.find(east_.id), std::string::npos) << hosts.out;
  EXPECT_EQ(hosts.out.find(west_.id), std::string::npos) << hosts.out;

  auto again = pelato({"host", "stop", west_.id, "--timeout-ms", "300"});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.err.find("no host " + west_.id + " answered"), std::string::npos) << again.err;
}

TEST_F(CliIntegration, CallRunsTheComponentAndPrintsItsOutputRaw) {
  auto nobody = pelato({"call", "upper", "--input", "hello"});
  EXPECT_EQ(nobody.exitCode, 1);
  EXPECT_NE(nobody.err.find("component upper is not running anywhere on lattice clitest"), std::string::npos)
      << nobody.err;

  scaleUpper("upper", 1);
  auto first = pelato({"call", "upper", "--input", "hello"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  EXPECT_EQ(first.out, "HELLO #1");  // raw: no newline added when stdout is not a terminal

  auto fromStdin = pelato({"call", "upper", "--input", "-"}, "from stdin\n");
  ASSERT_EQ(fromStdin.exitCode, 0) << fromStdin.err;
  EXPECT_EQ(fromStdin.out, "FROM STDIN\n #2");

  auto dir = TempDir::create("cli-call");
  ASSERT_TRUE(dir);
  auto file = dir->path() / "input.txt";
  ASSERT_TRUE(writeFileAtomic(file, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("file"), 4)));
  auto fromFile = pelato({"call", "upper", "--input-file", file.string()});
  ASSERT_EQ(fromFile.exitCode, 0) << fromFile.err;
  EXPECT_EQ(fromFile.out, "FILE #3");

  auto noInput = pelato({"call", "upper"});
  EXPECT_EQ(noInput.exitCode, 1);
  EXPECT_NE(noInput.err.find("--input TEXT, --input-file FILE, or --input -"), std::string::npos) << noInput.err;
}

// A lattice whose nats-server requires credentials: hosts and commands that have them work,
// a command without them is refused with a message that says what to set.
TEST(CliAuthIntegration, CommandsNeedTheLatticeCredentials) {
  auto server = testing::NatsServer::start({.user = "operator", .password = "pa55"});
  if (!server) GTEST_SKIP() << server.error().message();
  auto host = testing::startHost(PELATO_BINARY, (*server)->url(), "authtest",
                                 {"--nats-user", "operator", "--nats-password", "pa55", "--tier", "interp"});
  ASSERT_FALSE(host.id.empty());
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), PELATO_BINARY);
    args.insert(args.end(), {"--nats", (*server)->url(), "--lattice", "authtest"});
    auto result = runProcess(args, {.timeout = 20s});
    EXPECT_TRUE(result) << result.error().message();
    return result ? *result : ProcessResult{.exitCode = -1};
  };
  auto refused = run({"get", "hosts"});
  EXPECT_EQ(refused.exitCode, 1);
  EXPECT_NE(refused.err.find("refused the credentials"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("NATS_USER"), std::string::npos) << refused.err;
  auto wrong = run({"get", "hosts", "--nats-user", "operator", "--nats-password", "nope"});
  EXPECT_EQ(wrong.exitCode, 1);
  auto allowed = run({"get", "hosts", "--nats-user", "operator", "--nats-password", "pa55"});
  EXPECT_EQ(allowed.exitCode, 0) << allowed.err;
  EXPECT_NE(allowed.out.find(host.id), std::string::npos) << allowed.out;
  // A host without credentials cannot join.
  auto intruder = runProcess({PELATO_BINARY, "host", "--nats", (*server)->url(), "--lattice", "authtest",
                              "--http-port", "-1"},
                             {.timeout = 20s});
  ASSERT_TRUE(intruder);
  EXPECT_EQ(intruder->exitCode, 1);
  EXPECT_NE(intruder->err.find("refused the credentials"), std::string::npos) << intruder->err;
}

}  // namespace
}  // namespace pelato

namespace pelato {
namespace {

TEST_F(CliIntegration, AStatefulComponentMigratesWithItsState) {
  auto scaled = pelato({"scale", "component", guest("stateful_counter_task"), "--id", "tally", "--host", east_.id,
                        "--count", "1", "--stateful"});
  ASSERT_EQ(scaled.exitCode, 0) << scaled.out << scaled.err;
  for (int i = 1; i <= 3; ++i) {
    auto called = pelato({"call", "tally", "--input", "4"});
    ASSERT_EQ(called.exitCode, 0) << called.err;
    EXPECT_EQ(called.out, fmt::format("n={} sum={}", i, 4 * i));
  }
  // Scaled as stateful, it moves with its state without --stateful.
  auto moved = pelato({"migrate", "tally", "--to", west_.id});
  ASSERT_EQ(moved.exitCode, 0) << moved.out << moved.err;
  EXPECT_NE(moved.out.find(fmt::format("moved tally (1 instance) from host {} to {} with its state (", east_.id,
                                       west_.id)),
            std::string::npos)
      << moved.out;
  auto after = pelato({"call", "tally", "--input", "4"});
  ASSERT_EQ(after.exitCode, 0) << after.err;
  EXPECT_EQ(after.out, "n=4 sum=16");
  auto inventory = pelato({"get", "inventory", west_.id});
  EXPECT_NE(inventory.out.find("tally"), std::string::npos) << inventory.out;

  auto twice = pelato({"scale", "component", guest("stateful_counter_task"), "--id", "tally2", "--host", east_.id,
                       "--count", "2", "--stateful"});
  EXPECT_EQ(twice.exitCode, 1);
  EXPECT_NE(twice.err.find("a stateful component runs one instance"), std::string::npos) << twice.err;
  auto intervalAlone = pelato({"scale", "component", guest("stateful_counter_task"), "--id", "tally3", "--host",
                               east_.id, "--count", "1", "--snapshot-ms", "100"});
  EXPECT_EQ(intervalAlone.exitCode, 1);
  EXPECT_NE(intervalAlone.err.find("add --stateful"), std::string::npos) << intervalAlone.err;
}

}  // namespace
}  // namespace pelato
