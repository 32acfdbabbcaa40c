// Two real `pelato host` processes on a real nats-server: discovery, scaling, inventory, a
// messaging link carrying 100 messages through a task component, bad input, host.stop.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "lattice/events.h"
#include "lattice/messages.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using lattice::NatsMessage;

// A `pelato host` child process; its first stdout line carries its id.
class HostProcess {
 public:
  static std::unique_ptr<HostProcess> start(const std::string& url, const std::string& lattice) {
    int pipeFds[2];
    if (pipe(pipeFds) != 0) return nullptr;
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(pipeFds[1], STDOUT_FILENO);
      close(pipeFds[0]);
      close(pipeFds[1]);
      execl(PELATO_BINARY, PELATO_BINARY, "host", "--nats", url.c_str(), "--lattice", lattice.c_str(),
            "--heartbeat-ms", "200", "--tier", "interp", "--label", "zone=test", nullptr);
      _exit(127);
    }
    close(pipeFds[1]);
    auto process = std::unique_ptr<HostProcess>(new HostProcess(pid, pipeFds[0]));
    process->id_ = process->readId(10s);
    return process;
  }

  ~HostProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }

  const std::string& id() const { return id_; }

  // The exit code, or -1 if it has not exited within `timeout`.
  int waitExit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }
  void signal(int sig) { kill(pid_, sig); }

 private:
  HostProcess(pid_t pid, int out) : pid_(pid), out_(out) {}

  // "host <id> started on lattice ..."
  std::string readId(std::chrono::milliseconds timeout) {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[256];
      ssize_t n = read(out_, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<size_t>(n));
    }
    if (!line.starts_with("host ")) return {};
    return line.substr(5, line.find(' ', 5) - 5);
  }

  pid_t pid_;
  int out_;
  std::string id_;
};

class Collector {
 public:
  lattice::NatsClient::Handler handler() {
    return [this](NatsMessage m) {
      std::lock_guard lock(mutex_);
      messages_.push_back(std::move(m));
      changed_.notify_all();
    };
  }
  // Waits until `pred` holds for at least `count` messages.
  template <typename Pred>
  bool waitFor(size_t count, Pred pred, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      size_t n = 0;
      for (const auto& m : messages_) n += pred(m) ? 1 : 0;
      return n >= count;
    });
  }
  bool waitCount(size_t count, std::chrono::milliseconds timeout = 5s) {
    return waitFor(count, [](const NatsMessage&) { return true; }, timeout);
  }
  std::vector<NatsMessage> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<NatsMessage> messages_;
};

// An event of `type` from `host` whose data matches `pred`.
auto eventIs(std::string type, std::string host, std::function<bool(const Json&)> pred = nullptr) {
  return [=](const NatsMessage& m) {
    auto json = lattice::parseJson(m.data);
    if (!json) return false;
    auto event = lattice::CloudEvent::fromJson(*json);
    if (!event || event->latticeType() != type || event->source != host) return false;
    return !pred || pred(event->data);
  };
}

// Requests `subject` until a component answers with a reply starting with `expect`.
bool waitForService(lattice::NatsClient& nats, const std::string& subject, const std::string& data,
                    const std::string& expect, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = nats.request(subject, data, 1s);
    if (r && r->data.starts_with(expect)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

lattice::CtlReply reply(const Result<NatsMessage>& message) {
  EXPECT_TRUE(message) << (message ? "" : message.error().message());
  if (!message) return lattice::CtlReply::error("no reply");
  auto json = lattice::parseJson(message->data);
  EXPECT_TRUE(json) << message->data;
  if (!json) return lattice::CtlReply::error("bad reply");
  auto parsed = lattice::CtlReply::fromJson(*json);
  EXPECT_TRUE(parsed) << message->data;
  return parsed ? *parsed : lattice::CtlReply::error("bad reply");
}

TEST(HostIntegration, TwoHostsScaleLinkMessageAndStop) {
  auto server = testing::NatsServer::start();
  if (!server) GTEST_SKIP() << server.error().message();
  auto client = lattice::NatsClient::connect({.url = (*server)->url(), .name = "test"});
  ASSERT_TRUE(client) << client.error().message();
  auto& nats = **client;
  auto subjects = *lattice::Subjects::create("itest");

  Collector events;
  auto eventSub = nats.subscribe(subjects.eventWildcard(), events.handler());
  ASSERT_TRUE(eventSub);
  ASSERT_TRUE(nats.flush());

  auto host1 = HostProcess::start((*server)->url(), "itest");
  auto host2 = HostProcess::start((*server)->url(), "itest");
  ASSERT_FALSE(host1->id().empty());
  ASSERT_FALSE(host2->id().empty());
  ASSERT_NE(host1->id(), host2->id());
  EXPECT_TRUE(events.waitFor(1, eventIs("host_started", host1->id())));
  EXPECT_TRUE(events.waitFor(1, eventIs("host_started", host2->id())));

  // Discovery: every host answers host.ping.
  Collector pings;
  auto pingSub = nats.subscribe("itest.ping.replies", pings.handler());
  ASSERT_TRUE(pingSub && nats.flush());
  ASSERT_TRUE(nats.publish(subjects.hostPing(), "itest.ping.replies", ""));
  ASSERT_TRUE(pings.waitCount(2));
  std::set<std::string> pinged;
  for (const auto& m : pings.messages()) {
    auto r = reply(m);
    ASSERT_TRUE(r.success && r.response);
    auto host = lattice::Host::fromJson(*r.response);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->labels.at("zone"), "test");
    EXPECT_EQ(host->lattice, "itest");
    pinged.insert(host->id);
  }
  EXPECT_EQ(pinged, (std::set<std::string>{host1->id(), host2->id()}));

  // Heartbeats arrive with an inventory.
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host1->id())));

  // Scale the task component onto host 1.
  std::string guest = std::string(PELATO_GUEST_DIR) + "/upper_task.wasm";
  lattice::ScaleComponentCommand scale{.componentRef = "file://" + guest, .componentId = "upper",
                                       .hostId = host1->id(), .maxInstances = 2};
  auto scaled = reply(nats.request(*subjects.componentScale(host1->id()), lattice::dumpJson(scale.toJson()), 5s));
  EXPECT_TRUE(scaled.success) << scaled.message;
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scaled", host1->id(), [](const Json& d) {
    return d.value("component_id", "") == "upper" && d.value("max_instances", 0) == 2;
  })));
  auto inventoryReply = reply(nats.request(*subjects.hostGet(host1->id()), "", 5s));
  ASSERT_TRUE(inventoryReply.success && inventoryReply.response);
  auto inventory = lattice::HostInventory::fromJson(*inventoryReply.response);
  ASSERT_TRUE(inventory) << inventory.error().message();
  ASSERT_EQ(inventory->components.size(), 1u);
  EXPECT_EQ(inventory->components[0].id, "upper");
  EXPECT_EQ(inventory->components[0].maxInstances, 2u);

  // A file that is not there: accepted, then component_scale_failed with the reason.
  lattice::ScaleComponentCommand missing{.componentRef = "file:///nonexistent/x.wasm", .componentId = "ghost",
                                         .maxInstances = 1};
  EXPECT_TRUE(reply(nats.request(*subjects.componentScale(host1->id()), lattice::dumpJson(missing.toJson()), 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scale_failed", host1->id(), [](const Json& d) {
    return d.value("component_id", "") == "ghost" && d.value("error", "").find("cannot read") != std::string::npos;
  })));
  // Other refs are refused at once.
  lattice::ScaleComponentCommand oci{.componentRef = "ghcr.io/x/y:1", .componentId = "y", .maxInstances = 1};
  auto ociReply = reply(nats.request(*subjects.componentScale(host1->id()), lattice::dumpJson(oci.toJson()), 5s));
  EXPECT_FALSE(ociReply.success);
  EXPECT_NE(ociReply.message.find("file://"), std::string::npos);

  // The messaging link: one host (of the link queue group) takes the command, stores it in the
  // KV bucket and replies; every host applies it from its watch of the bucket.
  lattice::Link link{.sourceId = "upper", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.test", "destination=out.test"}};
  Collector linkReplies;
  auto linkSub = nats.subscribe("itest.link.replies", linkReplies.handler());
  ASSERT_TRUE(linkSub && nats.flush());
  ASSERT_TRUE(nats.publish(subjects.linkPut(), "itest.link.replies", lattice::dumpJson(link.toJson())));
  ASSERT_TRUE(linkReplies.waitCount(1));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(linkReplies.messages().size(), 1u);  // one host only
  for (const auto& m : linkReplies.messages()) EXPECT_TRUE(reply(m).success) << m.data;
  EXPECT_TRUE(events.waitFor(1, [](const NatsMessage& m) { return m.subject.ends_with(".linkdef_set"); }));
  Collector outputs;
  auto outSub = nats.subscribe("out.test", outputs.handler());
  ASSERT_TRUE(outSub && nats.flush());
  // Host 1 has subscribed once a request through the link gets an answer.
  ASSERT_TRUE(waitForService(nats, "in.test", "probe", "PROBE"));
  auto isMsg = [](const NatsMessage& m) { return m.data.starts_with("MSG-"); };
  auto msgs = [&] {
    std::vector<NatsMessage> out;
    for (auto& m : outputs.messages())
      if (isMsg(m)) out.push_back(m);
    return out;
  };
  auto links = reply(nats.request(subjects.linkGet(), "", 5s));
  ASSERT_TRUE(links.success && links.response && links.response->is_array());
  EXPECT_EQ(links.response->size(), 1u);

  // 100 messages through the component.
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(nats.publish("in.test", fmt::format("msg-{}", i)));
  ASSERT_TRUE(nats.flush());
  ASSERT_TRUE(outputs.waitFor(100, isMsg, 10s)) << msgs().size() << " outputs";
  std::this_thread::sleep_for(200ms);
  auto received = msgs();
  EXPECT_EQ(received.size(), 100u);
  std::set<std::string> seen;
  for (const auto& m : received) seen.insert(m.data.substr(0, m.data.find(' ')));
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.contains(fmt::format("MSG-{}", i))) << i;

  // A replica on host 2 joins the same queue group: the hosts share the messages, none twice.
  scale.hostId = host2->id();
  scale.maxInstances = 1;
  EXPECT_TRUE(reply(nats.request(*subjects.componentScale(host2->id()), lattice::dumpJson(scale.toJson()), 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scaled", host2->id())));
  for (int i = 100; i < 200; ++i) ASSERT_TRUE(nats.publish("in.test", fmt::format("msg-{}", i)));
  ASSERT_TRUE(nats.flush());
  ASSERT_TRUE(outputs.waitFor(200, isMsg, 10s)) << msgs().size() << " outputs";
  std::this_thread::sleep_for(200ms);
  received = msgs();
  EXPECT_EQ(received.size(), 200u);
  for (const auto& m : received) seen.insert(m.data.substr(0, m.data.find(' ')));
  EXPECT_EQ(seen.size(), 200u);
  // Host 2's heartbeats report the calls it made (the load object).
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host2->id(), [](const Json& d) {
    return d.contains("load") && d["load"].value("calls_per_s", 0.0) > 0;
  })));

  // Scale to a host that is not there: nobody answers.
  auto nobody = nats.request(*subjects.componentScale("NNOSUCHHOST"), lattice::dumpJson(scale.toJson()), 500ms);
  EXPECT_FALSE(nobody);

  // Malformed JSON gets a clear error, and the host stays up.
  auto malformed = reply(nats.request(*subjects.componentScale(host1->id()), "{not json", 5s));
  EXPECT_FALSE(malformed.success);
  EXPECT_NE(malformed.message.find("JSON"), std::string::npos) << malformed.message;
  EXPECT_TRUE(reply(nats.request(*subjects.hostGet(host1->id()), "", 5s)).success);

  // host.stop: the process exits 0 after publishing host_stopped.
  EXPECT_TRUE(reply(nats.request(*subjects.hostStop(host1->id()), "{}", 5s)).success);
  EXPECT_EQ(host1->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host1->id())));

  // SIGTERM stops the other one cleanly too.
  host2->signal(SIGTERM);
  EXPECT_EQ(host2->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host2->id())));
}

// One host: modules that cannot run are reported, a trapping task publishes nothing for the
// message that trapped, counts an error, and keeps serving the others.
TEST(HostIntegration, BadModulesAndTraps) {
  auto server = testing::NatsServer::start();
  if (!server) GTEST_SKIP() << server.error().message();
  auto client = lattice::NatsClient::connect({.url = (*server)->url(), .name = "test"});
  ASSERT_TRUE(client) << client.error().message();
  auto& nats = **client;
  auto subjects = *lattice::Subjects::create("itest2");
  Collector events;
  auto eventSub = nats.subscribe(subjects.eventWildcard(), events.handler());
  ASSERT_TRUE(eventSub && nats.flush());
  auto host = HostProcess::start((*server)->url(), "itest2");
  ASSERT_FALSE(host->id().empty());
  auto scaleSubject = *subjects.componentScale(host->id());

  auto scaleTo = [&](std::string id, std::string file) {
    lattice::ScaleComponentCommand c{.componentRef = "file://" + file, .componentId = id, .maxInstances = 1};
    return reply(nats.request(scaleSubject, lattice::dumpJson(c.toJson()), 5s));
  };
  auto failedWith = [&](std::string id, std::string text) {
    return events.waitFor(1, eventIs("component_scale_failed", host->id(), [=](const Json& d) {
      return d.value("component_id", "") == id && d.value("error", "").find(text) != std::string::npos;
    }));
  };
  EXPECT_TRUE(scaleTo("garbage", std::string(PELATO_SOURCE_DIR) + "/tests/limits/task.c").success);
  EXPECT_TRUE(failedWith("garbage", "invalid module"));
  EXPECT_TRUE(scaleTo("nomem", std::string(PELATO_GUEST_DIR) + "/limits_task_no_memory.wasm").success);
  EXPECT_TRUE(failedWith("nomem", "not a task ABI module"));

  // Unknown and unimplemented commands get success:false, not silence or a crash.
  auto unknown = reply(nats.request("wasmbus.ctl.v1.itest2.frobnicate", "{}", 5s));
  EXPECT_FALSE(unknown.success);
  auto auction = reply(nats.request(subjects.componentAuction(), "{}", 5s));
  EXPECT_FALSE(auction.success);
  auto badLink = reply(nats.request(subjects.linkPut(), R"({"source_id": 3})", 5s));
  EXPECT_FALSE(badLink.success);

  ASSERT_TRUE(scaleTo("echo", std::string(PELATO_GUEST_DIR) + "/limits_task.wasm").success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", host->id())));
  lattice::Link link{.sourceId = "echo", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.echo", "destination=out.echo"}};
  ASSERT_TRUE(reply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s)).success);
  Collector outputs;
  auto outSub = nats.subscribe("out.echo", outputs.handler());
  ASSERT_TRUE(outSub && nats.flush());
  for (const char* input : {"trap", "one", "trap", "two"}) ASSERT_TRUE(nats.publish("in.echo", input));
  ASSERT_TRUE(outputs.waitCount(2, 10s));
  // Request/reply through the link: the result also goes to the reply subject.
  auto direct = nats.request("in.echo", "three", 5s);
  ASSERT_TRUE(direct) << direct.error().message();
  EXPECT_EQ(direct->data, "echo: three");
  ASSERT_TRUE(outputs.waitCount(3, 5s));
  std::this_thread::sleep_for(200ms);
  std::vector<std::string> got;
  for (const auto& m : outputs.messages()) got.push_back(m.data);
  EXPECT_EQ(got, (std::vector<std::string>{"echo: one", "echo: two", "echo: three"}));
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host->id(), [](const Json& d) {
    return d.contains("load") && d["load"].value("errors", 0) >= 1;
  })));

  host->signal(SIGINT);
  EXPECT_EQ(host->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host->id())));
}

// Links live in the lattice's KV bucket: a host started after a link was put gets it from its
// watch, and serves the link once the component is scaled onto it, after the first host is gone.
TEST(HostIntegration, LateHostGetsExistingLinks) {
  auto server = testing::NatsServer::start();
  if (!server) GTEST_SKIP() << server.error().message();
  auto client = lattice::NatsClient::connect({.url = (*server)->url(), .name = "test"});
  ASSERT_TRUE(client) << client.error().message();
  auto& nats = **client;
  auto subjects = *lattice::Subjects::create("itest3");
  Collector events;
  auto eventSub = nats.subscribe(subjects.eventWildcard(), events.handler());
  ASSERT_TRUE(eventSub && nats.flush());

  auto hostA = HostProcess::start((*server)->url(), "itest3");
  ASSERT_FALSE(hostA->id().empty());
  std::string guest = std::string(PELATO_GUEST_DIR) + "/upper_task.wasm";
  lattice::ScaleComponentCommand scale{.componentRef = "file://" + guest, .componentId = "late", .maxInstances = 1};
  ASSERT_TRUE(reply(nats.request(*subjects.componentScale(hostA->id()), lattice::dumpJson(scale.toJson()), 5s)).success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", hostA->id())));
  lattice::Link link{.sourceId = "late", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.late", "destination=out.late"}};
  ASSERT_TRUE(reply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s)).success);
  ASSERT_TRUE(waitForService(nats, "in.late", "a", "A #"));

  // Host B starts after the link was put and has never seen link.put.
  auto hostB = HostProcess::start((*server)->url(), "itest3");
  ASSERT_FALSE(hostB->id().empty());
  ASSERT_TRUE(reply(nats.request(*subjects.componentScale(hostB->id()), lattice::dumpJson(scale.toJson()), 5s)).success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", hostB->id())));

  // Host A goes away; B alone serves the link.
  ASSERT_TRUE(reply(nats.request(*subjects.hostStop(hostA->id()), "{}", 5s)).success);
  EXPECT_EQ(hostA->waitExit(10s), 0);
  ASSERT_TRUE(events.waitFor(1, eventIs("host_stopped", hostA->id())));
  auto links = reply(nats.request(subjects.linkGet(), "", 5s));  // only B can answer now
  ASSERT_TRUE(links.success && links.response && links.response->is_array());
  ASSERT_EQ(links.response->size(), 1u);
  EXPECT_EQ(lattice::Link::fromJson((*links.response)[0]).value(), link);

  Collector outputs;
  auto outSub = nats.subscribe("out.late", outputs.handler());
  ASSERT_TRUE(outSub && nats.flush());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(nats.publish("in.late", fmt::format("late-{}", i)));
  ASSERT_TRUE(nats.flush());
  ASSERT_TRUE(outputs.waitCount(10, 10s)) << outputs.messages().size() << " outputs";
  std::set<std::string> seen;
  for (const auto& m : outputs.messages()) seen.insert(m.data.substr(0, m.data.find(' ')));
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(seen.contains(fmt::format("LATE-{}", i))) << i;
  auto direct = nats.request("in.late", "b", 5s);
  ASSERT_TRUE(direct) << direct.error().message();
  EXPECT_TRUE(direct->data.starts_with("B #")) << direct->data;

  // link.del goes through the bucket too: B unsubscribes, and nobody answers any more.
  lattice::LinkDeleteRequest del{.sourceId = "late", .witNamespace = "wasmcloud", .witPackage = "messaging"};
  auto deleted = reply(nats.request(subjects.linkDel(), lattice::dumpJson(del.toJson()), 5s));
  EXPECT_TRUE(deleted.success) << deleted.message;
  EXPECT_EQ(deleted.message, "");
  EXPECT_FALSE(nats.request("in.late", "c", 500ms));

  hostB->signal(SIGTERM);
  EXPECT_EQ(hostB->waitExit(10s), 0);
}

}  // namespace
}  // namespace pelato
