#include "dashboard/lattice_view.h"

#include <gtest/gtest.h>

namespace pelato::dashboard {
namespace {

using namespace std::chrono;
using lattice::Json;
namespace type = lattice::event_type;

const system_clock::time_point kWall{seconds{1718301653}};

lattice::CloudEvent event(std::string_view kind, const std::string& host, Json data) {
  return lattice::makeLatticeEvent(kind, host, std::move(data), lattice::newEventId(), kWall);
}

lattice::CloudEvent heartbeat(const std::string& host, const std::string& name,
                              std::vector<lattice::ComponentDescription> components, uint64_t uptime = 10) {
  lattice::HostHeartbeat beat{.inventory = {.hostId = host, .friendlyName = name, .labels = {{"host-type", "edge"}},
                                            .components = std::move(components), .version = "0.1.0",
                                            .uptimeSeconds = uptime},
                              .load = lattice::HostLoad{.cpu = 0.25, .queueDepth = 3, .callsPerSecond = 12.5, .errors = 1}};
  return event(type::kHostHeartbeat, host, beat.toJson());
}

lattice::ComponentDescription component(std::string id, uint32_t instances, std::optional<std::string> app = {}) {
  lattice::ComponentDescription c{.id = std::move(id), .imageRef = "file:///w/upper.wasm", .maxInstances = instances,
                                  .load = lattice::ComponentLoad{.queueDepth = 2, .callsPerSecond = 4, .errors = 0}};
  if (app) c.annotations = lattice::StringMap{{"wasmcloud.dev/appspec", *app}};
  return c;
}

TEST(LatticeView, HeartbeatsBringHostsWithComponentsAndLoad) {
  LatticeView view;
  auto t0 = Clock::time_point{} + hours(1);
  EXPECT_TRUE(apply(view, heartbeat("NHOST1", "edge-1", {component("relay", 2, "temps"), component("idle", 0)}), t0));
  ASSERT_EQ(view.hosts.size(), 1u);
  const auto& host = view.hosts.at("NHOST1");
  EXPECT_EQ(host.friendlyName, "edge-1");
  EXPECT_EQ(host.labels.at("host-type"), "edge");
  ASSERT_TRUE(host.load);
  EXPECT_EQ(host.load->queueDepth, 3u);
  ASSERT_EQ(host.components.size(), 1u) << "components scaled to 0 are not shown";
  EXPECT_EQ(host.components.at("relay").instances, 2u);
  EXPECT_EQ(host.components.at("relay").app, "temps");
  EXPECT_TRUE(view.events.empty()) << "heartbeats are not listed";

  Json json = toJson(view, t0 + 2500ms);
  ASSERT_EQ(json["hosts"].size(), 1u);
  EXPECT_EQ(json["hosts"][0]["uptime_seconds"], 12) << "uptime counts on from the heartbeat";
  EXPECT_EQ(json["hosts"][0]["last_seen_ms"], 2500);
  EXPECT_EQ(json["hosts"][0]["load"]["calls_per_s"], 12.5);
  EXPECT_EQ(json["hosts"][0]["components"][0]["id"], "relay");
  EXPECT_EQ(json["hosts"][0]["components"][0]["instances"], 2);
  EXPECT_EQ(json["hosts"][0]["components"][0]["load"]["queue_depth"], 2);
  EXPECT_EQ(json["hosts"][0]["draining"], false);
}

TEST(LatticeView, HostsGoAfterThreeMissedHeartbeatsOrWhenStopped) {
  LatticeView view{.assumedHeartbeat = 10s};  // as `--heartbeat-ms 10000`
  auto t0 = Clock::time_point{} + hours(1);
  apply(view, heartbeat("NHOST1", "edge-1", {}), t0);
  apply(view, heartbeat("NHOST1", "edge-1", {}), t0 + 1s);
  apply(view, heartbeat("NHOST2", "edge-2", {}), t0 + 1s);
  EXPECT_EQ(view.hosts.at("NHOST1").heartbeatPeriod, 1000ms);
  EXPECT_FALSE(expire(view, t0 + 3900ms, kWall)) << "2.9 s of silence is under 3 periods";
  EXPECT_TRUE(expire(view, t0 + 4100ms, kWall));
  EXPECT_FALSE(view.hosts.contains("NHOST1"));
  ASSERT_EQ(view.events.size(), 1u);
  EXPECT_EQ(view.events.back().type, "host_gone");
  EXPECT_EQ(view.events.back().source, "NHOST1");
  // NHOST2's period is not known yet: it gets the assumed one.
  EXPECT_TRUE(view.hosts.contains("NHOST2"));

  apply(view, event(type::kHostStopped, "NHOST2", lattice::HostStopped{.hostId = "NHOST2", .reason = "stop"}.toJson()),
        t0 + 5s);
  EXPECT_TRUE(view.hosts.empty());
  EXPECT_EQ(view.events.back().type, "host_stopped");
}

TEST(LatticeView, AHostSeenOnceGoesAfterThreeAssumedPeriods) {
  LatticeView view;  // pelato hosts' 1 s
  auto t0 = Clock::time_point{} + hours(1);
  apply(view, heartbeat("NHOST1", "edge-1", {}), t0);
  EXPECT_FALSE(expire(view, t0 + 2900ms, kWall));
  EXPECT_TRUE(expire(view, t0 + 3100ms, kWall)) << "killed right after its first heartbeat";
}

TEST(LatticeView, StartedScaledAndLabelsChangedShowAtOnce) {
  LatticeView view;
  auto t0 = Clock::time_point{} + hours(1);
  apply(view,
        event(type::kHostStarted, "NHOST1",
              lattice::HostStarted{.hostId = "NHOST1", .friendlyName = "cloud-1", .labels = {{"a", "b"}}}.toJson()),
        t0);
  ASSERT_TRUE(view.hosts.contains("NHOST1"));
  EXPECT_EQ(view.hosts.at("NHOST1").friendlyName, "cloud-1");

  lattice::ComponentScaled scaled{.hostId = "NHOST1", .componentId = "upper", .imageRef = "file:///u.wasm",
                                  .maxInstances = 3};
  apply(view, event(type::kComponentScaled, "NHOST1", scaled.toJson()), t0);
  EXPECT_EQ(view.hosts.at("NHOST1").components.at("upper").instances, 3u);
  EXPECT_EQ(view.hosts.at("NHOST1").components.at("upper").imageRef, "file:///u.wasm");
  scaled.maxInstances = 0;
  apply(view, event(type::kComponentScaled, "NHOST1", scaled.toJson()), t0);
  EXPECT_TRUE(view.hosts.at("NHOST1").components.empty());

  apply(view,
        event(type::kLabelsChanged, "NHOST1",
              lattice::LabelsChanged{.hostId = "NHOST1", .labels = {{"pelato.dev/drain", "true"}}}.toJson()),
        t0);
  EXPECT_EQ(toJson(view, t0)["hosts"][0]["draining"], true);
  EXPECT_EQ(view.events.size(), 4u);
  EXPECT_EQ(view.events.front().type, "host_started");
}

TEST(LatticeView, LinksFollowLinkGetAndLinkdefEvents) {
  LatticeView view;
  lattice::Link link{.sourceId = "relay", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}};
  setLinks(view, {link});
  EXPECT_EQ(view.links.size(), 1u);
  lattice::Link other = link;
  other.sourceId = "upper";
  apply(view, event(type::kLinkdefSet, "NHOST1", other.toJson()), Clock::now());
  EXPECT_EQ(view.links.size(), 2u);
  lattice::LinkdefDeleted deleted{.sourceId = "relay", .witNamespace = "wasmcloud", .witPackage = "messaging"};
  apply(view, event(type::kLinkdefDeleted, "NHOST1", deleted.toJson()), Clock::now());
  ASSERT_EQ(view.links.size(), 1u);
  EXPECT_EQ(toJson(view, Clock::now())["links"][0]["source_id"], "upper");
}

TEST(LatticeView, AppsFromTheListOrWhyThereAreNone) {
  LatticeView view;
  lattice::ModelSummary b{.name = "b", .version = "v2", .deployedVersion = "v2"};
  b.detailedStatus.info = {.type = lattice::StatusType::Deployed, .message = "all good"};
  lattice::ModelSummary a{.name = "a", .version = "v1"};
  EXPECT_TRUE(setApps(view, std::vector<lattice::ModelSummary>{b, a}));
  ASSERT_EQ(view.apps.size(), 2u);
  EXPECT_EQ(view.apps[0].name, "a");
  EXPECT_EQ(view.apps[0].status, "undeployed");
  EXPECT_EQ(view.apps[1].status, "deployed");
  EXPECT_EQ(view.apps[1].deployedVersion, "v2");
  EXPECT_FALSE(setApps(view, std::vector<lattice::ModelSummary>{b, a})) << "same list: no change";

  EXPECT_TRUE(setApps(view, fail("no orchestrator answered")));
  EXPECT_TRUE(view.apps.empty());
  EXPECT_EQ(toJson(view, Clock::now())["apps_error"], "no orchestrator answered");
}

TEST(LatticeView, KeepsTheLast200Events) {
  LatticeView view;
  for (int i = 0; i < 250; ++i)
    apply(view, event(type::kConfigSet, "NHOST1", Json{{"config_name", fmt::format("c{}", i)}}), Clock::now());
  ASSERT_EQ(view.events.size(), kMaxEvents);
  EXPECT_EQ(view.events.front().data["config_name"], "c50");
  EXPECT_EQ(view.events.back().data["config_name"], "c249");
}

}  // namespace
}  // namespace pelato::dashboard

namespace pelato::dashboard {
namespace {

TEST(LatticeView, StatefulComponentsAreMarked) {
  LatticeView view;
  auto t0 = Clock::time_point{} + hours(1);
  auto counter = component("counter", 1);
  counter.annotations = lattice::StringMap{{"pelato.dev/stateful", "true"}};
  apply(view, heartbeat("NHOST1", "edge-1", {counter, component("relay", 2)}), t0);
  EXPECT_TRUE(view.hosts.at("NHOST1").components.at("counter").stateful);
  EXPECT_FALSE(view.hosts.at("NHOST1").components.at("relay").stateful);
  Json json = toJson(view, t0);
  EXPECT_EQ(json["hosts"][0]["components"][0]["stateful"], true);

  // Restored on another host: the component_scaled event says so at once.
  lattice::ComponentScaled scaled{.hostId = "NHOST2", .componentId = "counter", .imageRef = "file:///c.wasm",
                                  .maxInstances = 1, .annotations = {{"pelato.dev/stateful", "true"}}};
  apply(view, heartbeat("NHOST2", "cloud-1", {}), t0);
  apply(view, event(type::kComponentScaled, "NHOST2", scaled.toJson()), t0);
  EXPECT_TRUE(view.hosts.at("NHOST2").components.at("counter").stateful);
}

}  // namespace
}  // namespace pelato::dashboard
