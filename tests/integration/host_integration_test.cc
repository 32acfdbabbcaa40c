// Two real `pelato host` processes on a real nats-server: discovery, scaling, inventory, a
// messaging link carrying 100 messages through a task component, bad input, host.stop.
#include <signal.h>

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "lattice/events.h"
#include "lattice/messages.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"
#include "common/subprocess.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using lattice::NatsMessage;

using testing::Collector;
using testing::ctlReply;
using testing::eventIs;
using testing::waitForService;

testing::HostChild startHost(const std::string& url, const std::string& lattice) {
  return testing::startHost(PELATO_BINARY, url, lattice, {"--tier", "interp", "--label", "zone=test"});
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

  auto host1 = startHost((*server)->url(), "itest");
  auto host2 = startHost((*server)->url(), "itest");
  ASSERT_FALSE(host1.id.empty());
  ASSERT_FALSE(host2.id.empty());
  ASSERT_NE(host1.id, host2.id);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_started", host1.id)));
  EXPECT_TRUE(events.waitFor(1, eventIs("host_started", host2.id)));

  // Discovery: every host answers host.ping.
  Collector pings;
  auto pingSub = nats.subscribe("itest.ping.replies", pings.handler());
  ASSERT_TRUE(pingSub && nats.flush());
  ASSERT_TRUE(nats.publish(subjects.hostPing(), "itest.ping.replies", ""));
  ASSERT_TRUE(pings.waitCount(2));
  std::set<std::string> pinged;
  for (const auto& m : pings.messages()) {
    auto r = ctlReply(m);
    ASSERT_TRUE(r.success && r.response);
    auto host = lattice::Host::fromJson(*r.response);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->labels.at("zone"), "test");
    EXPECT_EQ(host->lattice, "itest");
    pinged.insert(host->id);
  }
  EXPECT_EQ(pinged, (std::set<std::string>{host1.id, host2.id}));

  // Heartbeats arrive with an inventory.
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host1.id)));

  // Scale the task component onto host 1.
  std::string guest = std::string(PELATO_GUEST_DIR) + "/upper_task.wasm";
  lattice::ScaleComponentCommand scale{.componentRef = "file://" + guest, .componentId = "upper",
                                       .hostId = host1.id, .maxInstances = 2};
  auto scaled = ctlReply(nats.request(*subjects.componentScale(host1.id), lattice::dumpJson(scale.toJson()), 5s));
  EXPECT_TRUE(scaled.success) << scaled.message;
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scaled", host1.id, [](const Json& d) {
    return d.value("component_id", "") == "upper" && d.value("max_instances", 0) == 2;
  })));
  auto inventoryReply = ctlReply(nats.request(*subjects.hostGet(host1.id), "", 5s));
  ASSERT_TRUE(inventoryReply.success && inventoryReply.response);
  auto inventory = lattice::HostInventory::fromJson(*inventoryReply.response);
  ASSERT_TRUE(inventory) << inventory.error().message();
  ASSERT_EQ(inventory->components.size(), 1u);
  EXPECT_EQ(inventory->components[0].id, "upper");
  EXPECT_EQ(inventory->components[0].maxInstances, 2u);
  std::set<std::string> providers;
  for (const auto& p : inventory->providers) providers.insert(p.id);
  EXPECT_EQ(providers, (std::set<std::string>{"builtin-messaging", "builtin-keyvalue", "builtin-http-server"}));

  // A file that is not there: accepted, then component_scale_failed with the reason.
  lattice::ScaleComponentCommand missing{.componentRef = "file:///nonexistent/x.wasm", .componentId = "ghost",
                                         .maxInstances = 1};
  EXPECT_TRUE(ctlReply(nats.request(*subjects.componentScale(host1.id), lattice::dumpJson(missing.toJson()), 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scale_failed", host1.id, [](const Json& d) {
    return d.value("component_id", "") == "ghost" && d.value("error", "").find("cannot read") != std::string::npos;
  })));
  // An image ref whose registry is not there: accepted, then failed with the pull's reason.
  lattice::ScaleComponentCommand oci{.componentRef = "127.0.0.1:1/x/y:1", .componentId = "y", .maxInstances = 1};
  EXPECT_TRUE(ctlReply(nats.request(*subjects.componentScale(host1.id), lattice::dumpJson(oci.toJson()), 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scale_failed", host1.id, [](const Json& d) {
    return d.value("component_id", "") == "y" && d.value("error", "").starts_with("pulling 127.0.0.1:1/x/y:1");
  })));

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
  for (const auto& m : linkReplies.messages()) EXPECT_TRUE(ctlReply(m).success) << m.data;
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
  auto links = ctlReply(nats.request(subjects.linkGet(), "", 5s));
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
  scale.hostId = host2.id;
  scale.maxInstances = 1;
  EXPECT_TRUE(ctlReply(nats.request(*subjects.componentScale(host2.id), lattice::dumpJson(scale.toJson()), 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("component_scaled", host2.id)));
  for (int i = 100; i < 200; ++i) ASSERT_TRUE(nats.publish("in.test", fmt::format("msg-{}", i)));
  ASSERT_TRUE(nats.flush());
  ASSERT_TRUE(outputs.waitFor(200, isMsg, 10s)) << msgs().size() << " outputs";
  std::this_thread::sleep_for(200ms);
  received = msgs();
  EXPECT_EQ(received.size(), 200u);
  for (const auto& m : received) seen.insert(m.data.substr(0, m.data.find(' ')));
  EXPECT_EQ(seen.size(), 200u);
  // Host 2's heartbeats report the calls it made (the load object).
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host2.id, [](const Json& d) {
    return d.contains("load") && d["load"].value("calls_per_s", 0.0) > 0 && d["load"].value("cpu", 0.0) > 0;
  })));

  // Scale to a host that is not there: nobody answers.
  auto nobody = nats.request(*subjects.componentScale("NNOSUCHHOST"), lattice::dumpJson(scale.toJson()), 500ms);
  EXPECT_FALSE(nobody);

  // Malformed JSON gets a clear error, and the host stays up.
  auto malformed = ctlReply(nats.request(*subjects.componentScale(host1.id), "{not json", 5s));
  EXPECT_FALSE(malformed.success);
  EXPECT_NE(malformed.message.find("JSON"), std::string::npos) << malformed.message;
  EXPECT_TRUE(ctlReply(nats.request(*subjects.hostGet(host1.id), "", 5s)).success);

  // host.stop: the process exits 0 after publishing host_stopped.
  EXPECT_TRUE(ctlReply(nats.request(*subjects.hostStop(host1.id), "{}", 5s)).success);
  EXPECT_EQ(host1.process->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host1.id)));

  // SIGTERM stops the other one cleanly too.
  host2.process->signal(SIGTERM);
  EXPECT_EQ(host2.process->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host2.id)));
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
  auto host = startHost((*server)->url(), "itest2");
  ASSERT_FALSE(host.id.empty());
  auto scaleSubject = *subjects.componentScale(host.id);

  auto scaleTo = [&](std::string id, std::string file) {
    lattice::ScaleComponentCommand c{.componentRef = "file://" + file, .componentId = id, .maxInstances = 1};
    return ctlReply(nats.request(scaleSubject, lattice::dumpJson(c.toJson()), 5s));
  };
  auto failedWith = [&](std::string id, std::string text) {
    return events.waitFor(1, eventIs("component_scale_failed", host.id, [=](const Json& d) {
      return d.value("component_id", "") == id && d.value("error", "").find(text) != std::string::npos;
    }));
  };
  EXPECT_TRUE(scaleTo("garbage", std::string(PELATO_SOURCE_DIR) + "/tests/limits/task.c").success);
  EXPECT_TRUE(failedWith("garbage", "invalid module"));
  EXPECT_TRUE(scaleTo("nomem", std::string(PELATO_GUEST_DIR) + "/limits_task_no_memory.wasm").success);
  EXPECT_TRUE(failedWith("nomem", "not a task ABI module"));

  // Unknown and unimplemented commands get success:false, not silence or a crash.
  auto unknown = ctlReply(nats.request("wasmbus.ctl.v1.itest2.frobnicate", "{}", 5s));
  EXPECT_FALSE(unknown.success);
  auto auction = ctlReply(nats.request(subjects.componentAuction(), "{}", 5s));
  EXPECT_FALSE(auction.success);
  auto badLink = ctlReply(nats.request(subjects.linkPut(), R"({"source_id": 3})", 5s));
  EXPECT_FALSE(badLink.success);

  ASSERT_TRUE(scaleTo("echo", std::string(PELATO_GUEST_DIR) + "/limits_task.wasm").success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", host.id)));
  lattice::Link link{.sourceId = "echo", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.echo", "destination=out.echo"}};
  ASSERT_TRUE(ctlReply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s)).success);
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
  EXPECT_TRUE(events.waitFor(1, eventIs("host_heartbeat", host.id, [](const Json& d) {
    return d.contains("load") && d["load"].value("errors", 0) >= 1;
  })));

  host.process->signal(SIGINT);
  EXPECT_EQ(host.process->waitExit(10s), 0);
  EXPECT_TRUE(events.waitFor(1, eventIs("host_stopped", host.id)));
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

  auto hostA = startHost((*server)->url(), "itest3");
  ASSERT_FALSE(hostA.id.empty());
  std::string guest = std::string(PELATO_GUEST_DIR) + "/upper_task.wasm";
  lattice::ScaleComponentCommand scale{.componentRef = "file://" + guest, .componentId = "late", .maxInstances = 1};
  ASSERT_TRUE(ctlReply(nats.request(*subjects.componentScale(hostA.id), lattice::dumpJson(scale.toJson()), 5s)).success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", hostA.id)));
  lattice::Link link{.sourceId = "late", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.late", "destination=out.late"}};
  ASSERT_TRUE(ctlReply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s)).success);
  ASSERT_TRUE(waitForService(nats, "in.late", "a", "A #"));

  // Host B starts after the link was put and has never seen link.put.
  auto hostB = startHost((*server)->url(), "itest3");
  ASSERT_FALSE(hostB.id.empty());
  ASSERT_TRUE(ctlReply(nats.request(*subjects.componentScale(hostB.id), lattice::dumpJson(scale.toJson()), 5s)).success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", hostB.id)));

  // Host A goes away; B alone serves the link.
  ASSERT_TRUE(ctlReply(nats.request(*subjects.hostStop(hostA.id), "{}", 5s)).success);
  EXPECT_EQ(hostA.process->waitExit(10s), 0);
  ASSERT_TRUE(events.waitFor(1, eventIs("host_stopped", hostA.id)));
  auto links = ctlReply(nats.request(subjects.linkGet(), "", 5s));  // only B can answer now
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
  auto deleted = ctlReply(nats.request(subjects.linkDel(), lattice::dumpJson(del.toJson()), 5s));
  EXPECT_TRUE(deleted.success) << deleted.message;
  EXPECT_EQ(deleted.message, "");
  EXPECT_FALSE(nats.request("in.late", "c", 500ms));

  hostB.process->signal(SIGTERM);
  EXPECT_EQ(hostB.process->waitExit(10s), 0);
}

}  // namespace
}  // namespace pelato

namespace pelato {
namespace {

// Named configs (config.put) live in the KV bucket; a link that names one takes its settings,
// and follows when the config changes.
TEST(HostIntegration, LinksTakeTheirSettingsFromNamedConfigs) {
  auto server = testing::NatsServer::start();
  if (!server) GTEST_SKIP() << server.error().message();
  auto client = lattice::NatsClient::connect({.url = (*server)->url(), .name = "test"});
  ASSERT_TRUE(client) << client.error().message();
  auto& nats = **client;
  auto subjects = *lattice::Subjects::create("itest4");
  Collector events;
  auto eventSub = nats.subscribe(subjects.eventWildcard(), events.handler());
  ASSERT_TRUE(eventSub && nats.flush());
  auto host = startHost((*server)->url(), "itest4");
  ASSERT_FALSE(host.id.empty());

  auto put = ctlReply(nats.request(*subjects.configPut("wiring"), R"({"subscriptions": "cfg.a", "destination": "cfg.out"})", 5s));
  ASSERT_TRUE(put.success) << put.message;
  EXPECT_TRUE(events.waitFor(1, eventIs("config_set", host.id, [](const Json& d) { return d["config_name"] == "wiring"; })));
  auto got = ctlReply(nats.request(*subjects.configGet("wiring"), "", 5s));
  ASSERT_TRUE(got.success && got.response);
  EXPECT_EQ((*got.response)["subscriptions"], "cfg.a");
  auto none = ctlReply(nats.request(*subjects.configGet("nothing"), "", 5s));
  EXPECT_TRUE(none.success);
  EXPECT_FALSE(none.response);
  EXPECT_EQ(none.message, "Configuration not found");

  lattice::ScaleComponentCommand scale{.componentRef = std::string("file://") + PELATO_GUEST_DIR + "/upper_task.wasm",
                                       .componentId = "configured", .maxInstances = 1};
  ASSERT_TRUE(ctlReply(nats.request(*subjects.componentScale(host.id), lattice::dumpJson(scale.toJson()), 5s)).success);
  lattice::Link link{.sourceId = "configured", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}, .sourceConfig = {"wiring"}};
  ASSERT_TRUE(ctlReply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s)).success);
  Collector outputs;
  auto outSub = nats.subscribe("cfg.out", outputs.handler());
  ASSERT_TRUE(outSub && nats.flush());
  ASSERT_TRUE(waitForService(nats, "cfg.a", "one", "ONE #"));

  // The config changes: the host moves the component to the new subject.
  ASSERT_TRUE(ctlReply(nats.request(*subjects.configPut("wiring"), R"({"subscriptions": "cfg.b", "destination": "cfg.out"})", 5s)).success);
  ASSERT_TRUE(waitForService(nats, "cfg.b", "two", "TWO #"));
  EXPECT_FALSE(nats.request("cfg.a", "x", 300ms));
  EXPECT_TRUE(outputs.waitFor(1, [](const NatsMessage& m) { return m.data.starts_with("TWO #"); }));

  // Deleted: the link has no subscriptions any more and nothing answers.
  ASSERT_TRUE(ctlReply(nats.request(*subjects.configDel("wiring"), "", 5s)).success);
  EXPECT_TRUE(events.waitFor(1, eventIs("config_deleted", host.id)));
  EXPECT_FALSE(ctlReply(nats.request(*subjects.configGet("wiring"), "", 5s)).response);
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(nats.request("cfg.b", "x", 300ms));
}

}  // namespace
}  // namespace pelato

namespace pelato {
namespace {

// `curl ARGS...`: an independent HTTP client. Its stdout, or "curl failed: ..." on error.
std::string curl(std::vector<std::string> args) {
  args.insert(args.begin(), {"curl", "-sS", "--max-time", "10"});
  auto result = runProcess(args, {.timeout = 15s});
  if (!result) return "curl failed: " + result.error().message();
  if (result->exitCode != 0) return fmt::format("curl failed ({}): {}", result->exitCode, result->err);
  return result->out;
}

// The HTTP provider: POST → task → NATS (async, 202) into a second stage, and POST → task →
// response (sync); GET /metrics counts the calls.
TEST(HostIntegration, HttpPostFeedsAChainAndMetricsCountIt) {
  auto server = testing::NatsServer::start();
  if (!server) GTEST_SKIP() << server.error().message();
  auto client = lattice::NatsClient::connect({.url = (*server)->url(), .name = "test"});
  ASSERT_TRUE(client) << client.error().message();
  auto& nats = **client;
  auto subjects = *lattice::Subjects::create("itest5");
  Collector events;
  auto eventSub = nats.subscribe(subjects.eventWildcard(), events.handler());
  ASSERT_TRUE(eventSub && nats.flush());
  auto host = startHost((*server)->url(), "itest5");
  ASSERT_FALSE(host.id.empty());
  ASSERT_GT(host.httpPort, 0);
  std::string base = fmt::format("http://127.0.0.1:{}", host.httpPort);
  EXPECT_EQ(curl({base + "/healthz"}), "ok\n");

  auto putLink = [&](lattice::Link link) {
    auto r = ctlReply(nats.request(subjects.linkPut(), lattice::dumpJson(link.toJson()), 5s));
    ASSERT_TRUE(r.success) << r.message;
  };
  auto scaleTo = [&](const std::string& id, const std::string& wasm) {
    lattice::ScaleComponentCommand c{.componentRef = std::string("file://") + PELATO_GUEST_DIR + "/" + wasm,
                                     .componentId = id, .maxInstances = 1};
    ASSERT_TRUE(ctlReply(nats.request(*subjects.componentScale(host.id), lattice::dumpJson(c.toJson()), 5s)).success);
    ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", host.id, [&](const Json& d) { return d["component_id"] == id; })));
  };
  putLink({.sourceId = "ingest", .target = "http-server", .witNamespace = "wasi", .witPackage = "http",
           .interfaces = {"incoming-handler"}, .sourceConfig = {"path=/readings", "destination=http.mid"}});
  putLink({.sourceId = "count", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
           .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=http.mid", "destination=http.out"}});
  putLink({.sourceId = "shout", .target = "http-server", .witNamespace = "wasi", .witPackage = "http",
           .interfaces = {"incoming-handler"}, .sourceConfig = {"path=/shout", "mode=sync"}});
  scaleTo("ingest", "upper_task.wasm");
  scaleTo("count", "word_count_task.wasm");
  scaleTo("shout", "upper_task.wasm");
  Collector outputs;
  auto outSub = nats.subscribe("http.out", outputs.handler());
  ASSERT_TRUE(outSub && nats.flush());
  ASSERT_TRUE(waitForService(nats, *subjects.rpc("count"), "warm up", "up=1"));

  // async: 202 at once, the result travels on through NATS.
  std::string accepted = curl({"-i", "-X", "POST", "--data-binary", "hot day", base + "/readings"});
  EXPECT_NE(accepted.find("202"), std::string::npos) << accepted;
  ASSERT_TRUE(outputs.waitCount(1, 10s));
  EXPECT_EQ(outputs.messages()[0].data, "#1=1\nDAY=1\nHOT=1\n");
  // sync: the task's output is the response.
  EXPECT_EQ(curl({"-X", "POST", "--data-binary", "quiet", base + "/shout"}), "QUIET #1");
  // Wrong method and unknown path get the right codes.
  EXPECT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code}", base + "/shout"}), "405");
  EXPECT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "x", base + "/nothing"}), "404");

  std::string metrics = curl({base + "/metrics"});
  EXPECT_NE(metrics.find("pelato_component_calls_total{component=\"ingest\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("pelato_component_instances{component=\"count\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("pelato_component_call_duration_seconds_count{component=\"shout\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("pelato_nats_reconnects{connection=\"data\"} 0"), std::string::npos) << metrics;

  // The route goes away with its component.
  lattice::ScaleComponentCommand stop{.componentRef = std::string("file://") + PELATO_GUEST_DIR + "/upper_task.wasm",
                                      .componentId = "shout", .maxInstances = 0};
  ASSERT_TRUE(ctlReply(nats.request(*subjects.componentScale(host.id), lattice::dumpJson(stop.toJson()), 5s)).success);
  ASSERT_TRUE(events.waitFor(1, eventIs("component_scaled", host.id, [](const Json& d) {
    return d["component_id"] == "shout" && d["max_instances"] == 0;
  })));
  EXPECT_EQ(curl({"-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "x", base + "/shout"}), "404");
}

}  // namespace
}  // namespace pelato
