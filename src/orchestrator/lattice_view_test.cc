#include "orchestrator/lattice_view.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

using namespace std::chrono_literals;
using Clock = LatticeView::Clock;

lattice::HostHeartbeat heartbeat(std::string host, StringMap labels,
                                 std::vector<lattice::ComponentDescription> components = {}) {
  lattice::HostHeartbeat beat;
  beat.inventory.hostId = std::move(host);
  beat.inventory.labels = std::move(labels);
  beat.inventory.components = std::move(components);
  beat.load = lattice::HostLoad{.cpu = 0.5, .queueDepth = 7};
  return beat;
}

TEST(LatticeView, HeartbeatsBringHostsAndTheirComponents) {
  LatticeView view;
  auto t0 = Clock::now();
  lattice::ComponentDescription task{.id = "app-task", .imageRef = "file:///t.wasm",
                                     .annotations = StringMap{{"wasmcloud.dev/appspec", "app"}}, .maxInstances = 2};
  EXPECT_TRUE(view.onHeartbeat(heartbeat("N1", {{"host-type", "edge"}}, {task}), t0));
  EXPECT_FALSE(view.onHeartbeat(heartbeat("N1", {{"host-type", "edge"}}, {task}), t0 + 1s))
      << "the same inventory again changes nothing";

  auto state = view.state();
  ASSERT_EQ(state.hosts.size(), 1u);
  EXPECT_EQ(state.hosts[0].labels.at("host-type"), "edge");
  const auto& running = state.hosts[0].components.at("app-task");
  EXPECT_EQ(running.instances, 2u);
  EXPECT_EQ(running.app, "app");
}

TEST(LatticeView, ScaledEventsCorrectTheViewBetweenHeartbeats) {
  LatticeView view;
  auto t0 = Clock::now();
  view.onHeartbeat(heartbeat("N1", {}), t0);
  EXPECT_TRUE(view.onComponentScaled({.hostId = "N1", .componentId = "c", .imageRef = "r", .maxInstances = 3}, t0));
  EXPECT_EQ(view.host("N1")->components.at("c").instances, 3u);
  EXPECT_TRUE(view.onComponentScaled({.hostId = "N1", .componentId = "c", .maxInstances = 0}, t0));
  EXPECT_TRUE(view.host("N1")->components.empty());
  EXPECT_FALSE(view.onComponentScaled({.hostId = "unknown", .componentId = "c", .maxInstances = 1}, t0))
      << "a host not seen yet comes in with its heartbeat";
  EXPECT_TRUE(view.onLabelsChanged({.hostId = "N1", .labels = {{"zone", "a"}}}, t0));
  EXPECT_EQ(view.host("N1")->labels.at("zone"), "a");
  EXPECT_TRUE(view.state().hosts[0].accepting);
  EXPECT_TRUE(view.onLabelsChanged({.hostId = "N1", .labels = {{"pelato.dev/drain", "true"}}}, t0));
  EXPECT_FALSE(view.state().hosts[0].accepting) << "a draining host takes no placements";
}

TEST(LatticeView, SilentHostsAreSuspectedThenDead) {
  LatticeView view({.heartbeat = 1000ms, .missedHeartbeats = 3, .suspectAfter = 1500ms});
  auto t0 = Clock::now();
  view.onHeartbeat(heartbeat("N1", {}), t0);
  view.onHeartbeat(heartbeat("N2", {}), t0);
  EXPECT_TRUE(view.suspects(t0 + 1400ms).empty());
  view.onHeartbeat(heartbeat("N2", {}), t0 + 1400ms);
  EXPECT_EQ(view.suspects(t0 + 1600ms), std::vector<std::string>{"N1"});
  view.confirmAlive("N1", t0 + 1600ms);
  EXPECT_TRUE(view.suspects(t0 + 1700ms).empty()) << "a probe that answers clears the suspicion";

  EXPECT_TRUE(view.expire(t0 + 2900ms).empty());
  EXPECT_EQ(view.expire(t0 + 4600ms), (std::vector<std::string>{"N1", "N2"}));
  EXPECT_TRUE(view.state().hosts.empty());
}

TEST(LatticeView, StoppedOrProbedDeadHostsLeaveAtOnce) {
  LatticeView view;
  auto t0 = Clock::now();
  view.onHostStarted({.hostId = "N1", .labels = {{"host-type", "cloud"}}}, t0);
  view.onHeartbeat(heartbeat("N2", {}), t0);
  EXPECT_EQ(view.host("N1")->labels.at("host-type"), "cloud");
  EXPECT_TRUE(view.onHostStopped("N1"));
  EXPECT_FALSE(view.onHostStopped("N1"));
  EXPECT_TRUE(view.remove("N2"));
  EXPECT_TRUE(view.state().hosts.empty());
}

TEST(LatticeView, OverloadedHostsShedOnlyWhileAnotherCanTakeTheWork) {
  LatticeView view({}, {.cpuHigh = 0.8, .queueHigh = 0, .shedAfter = 2, .returnAfter = 2});
  auto t0 = Clock::now();
  auto busy1 = heartbeat("N1", {});
  busy1.load = lattice::HostLoad{.cpu = 0.95};
  auto busy2 = heartbeat("N2", {});
  busy2.load = lattice::HostLoad{.cpu = 0.95};
  auto idle2 = heartbeat("N2", {});
  idle2.load = lattice::HostLoad{.cpu = 0.1};
  view.onHeartbeat(busy1, t0);
  view.onHeartbeat(idle2, t0);
  EXPECT_TRUE(view.onHeartbeat(busy1, t0 + 1s)) << "the second heartbeat over the mark sheds";
  EXPECT_TRUE(view.overloaded("N1"));
  auto state = view.state();
  EXPECT_FALSE(state.hosts[0].accepting);
  EXPECT_TRUE(state.hosts[1].accepting);

  view.onHeartbeat(busy2, t0 + 1s);
  view.onHeartbeat(busy2, t0 + 2s);
  state = view.state();
  EXPECT_TRUE(state.hosts[0].accepting && state.hosts[1].accepting) << "nowhere to shed to: both keep their work";
}

}  // namespace
}  // namespace pelato::orchestrator
