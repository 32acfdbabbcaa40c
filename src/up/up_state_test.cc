#include "up/up_state.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "common/file.h"

namespace pelato::up {
namespace {

UpState sample() {
  return {.pid = ::getpid(), .lattice = "default", .natsUrl = "nats://127.0.0.1:4222", .natsUser = "pelato",
          .natsPassword = "pw", .registry = "127.0.0.1:5000", .dashboardUrl = "http://127.0.0.1:4000/?token=t",
          .envFile = "/d/env", .hosts = {"edge-1 http://127.0.0.1:8000"}};
}

TEST(UpState, RoundTrips) {
  auto decoded = decodeState(encodeState(sample()));
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(*decoded, sample());
  EXPECT_FALSE(decodeState("{}"));
  EXPECT_FALSE(decodeState("not json"));
}

TEST(UpState, AnEdgeLeafRoundTripsAndIsDescribed) {
  auto state = sample();
  EXPECT_EQ(describeState(state).find("nats-edge"), std::string::npos);
  state.edgeNatsUrl = "nats://127.0.0.1:4223";
  state.leafListen = "127.0.0.1:7422";
  auto decoded = decodeState(encodeState(state));
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(*decoded, state);
  EXPECT_NE(describeState(state).find("  nats-edge  nats://127.0.0.1:4223 (leaf node of nats via 127.0.0.1:7422; "
                                      "the edge hosts use it)\n"),
            std::string::npos)
      << describeState(state);
}

TEST(UpState, ALiveProcessIsRunningAStaleFileIsRemoved) {
  auto tmp = TempDir::create("upstate");
  ASSERT_TRUE(tmp);
  ASSERT_TRUE(writeState(tmp->path(), sample()));
  auto running = runningState(tmp->path());
  ASSERT_TRUE(running && *running);
  EXPECT_EQ((*running)->pid, ::getpid());

  auto stale = sample();
  stale.pid = 4194303;  // pid_max - 1: not a process here
  ASSERT_TRUE(writeState(tmp->path(), stale));
  auto gone = runningState(tmp->path());
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  EXPECT_FALSE(std::filesystem::exists(statePath(tmp->path())));
}

}  // namespace
}  // namespace pelato::up
