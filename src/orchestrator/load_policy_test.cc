#include "orchestrator/load_policy.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

lattice::HostLoad cpu(double share) { return {.cpu = share}; }
lattice::HostLoad queue(uint64_t depth) { return {.queueDepth = depth}; }

TEST(LoadPolicy, ShedsAfterAStreakAboveTheHighMark) {
  LoadPolicy policy({.cpuHigh = 0.8, .queueHigh = 100, .shedAfter = 3, .returnAfter = 4});
  EXPECT_FALSE(policy.observe("N1", cpu(0.9)));
  EXPECT_FALSE(policy.observe("N1", cpu(0.9)));
  EXPECT_FALSE(policy.observe("N1", cpu(0.5))) << "a dip breaks the streak";
  EXPECT_FALSE(policy.observe("N1", cpu(0.9)));
  EXPECT_FALSE(policy.observe("N1", queue(500)));
  EXPECT_TRUE(policy.observe("N1", cpu(0.95)));
  EXPECT_TRUE(policy.overloaded("N1"));
  EXPECT_FALSE(policy.overloaded("N2"));
}

TEST(LoadPolicy, ComesBackOnlyAfterALongerStreakBelowTheLowMarks) {
  LoadPolicy policy({.cpuHigh = 0.8, .queueHigh = 100, .shedAfter = 1, .returnAfter = 3});
  EXPECT_TRUE(policy.observe("N1", queue(1000)));
  // Between the marks (cpu 0.6 > 0.4): still overloaded, however long.
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(policy.observe("N1", cpu(0.6)));
  EXPECT_TRUE(policy.overloaded("N1"));
  EXPECT_FALSE(policy.observe("N1", cpu(0.1)));
  EXPECT_FALSE(policy.observe("N1", {.cpu = 0.1, .queueDepth = 60})) << "queue above its low mark (50)";
  EXPECT_FALSE(policy.observe("N1", cpu(0.1)));
  EXPECT_FALSE(policy.observe("N1", cpu(0.1)));
  EXPECT_TRUE(policy.observe("N1", cpu(0.1)));
  EXPECT_FALSE(policy.overloaded("N1"));
}

TEST(LoadPolicy, ZeroMarksTurnAMeasureOff) {
  LoadPolicy policy({.cpuHigh = 0, .queueHigh = 10, .shedAfter = 1, .returnAfter = 1});
  EXPECT_FALSE(policy.observe("N1", cpu(1.0)));
  EXPECT_TRUE(policy.observe("N1", queue(11)));
  EXPECT_TRUE(policy.observe("N1", {.cpu = 1.0, .queueDepth = 0})) << "only the queue counts";
}

}  // namespace
}  // namespace pelato::orchestrator
