#include "host/restart_budget.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

using namespace std::chrono_literals;
using Clock = RestartBudget::Clock;

TEST(RestartBudget, TrapsWithinTheBudgetDoNotSuspend) {
  RestartBudget budget({.maxTraps = 3, .window = 10s});
  Clock::time_point t{};
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(budget.onTrap(t + i * 1s));
  EXPECT_FALSE(budget.suspended(t + 3s));
}

TEST(RestartBudget, OldTrapsLeaveTheWindow) {
  RestartBudget budget({.maxTraps = 2, .window = 10s});
  Clock::time_point t{};
  EXPECT_FALSE(budget.onTrap(t));
  EXPECT_FALSE(budget.onTrap(t + 5s));
  EXPECT_FALSE(budget.onTrap(t + 11s));  // the first one is out of the window
  EXPECT_TRUE(budget.onTrap(t + 12s));
}

TEST(RestartBudget, SuspensionsDoubleUpToTheMaximumAndResetAfterSuccess) {
  RestartBudget budget({.maxTraps = 0, .window = 10s, .backoff = 1s, .maxBackoff = 3s});
  Clock::time_point t{};
  EXPECT_EQ(budget.onTrap(t), 1s);
  EXPECT_TRUE(budget.suspended(t + 999ms));
  EXPECT_FALSE(budget.suspended(t + 1s));
  EXPECT_EQ(budget.onTrap(t + 2s), 2s);
  EXPECT_EQ(budget.onTrap(t + 5s), 3s);
  EXPECT_EQ(budget.onTrap(t + 9s), 3s);
  EXPECT_EQ(budget.suspensions(), 4u);
  budget.onSuccess();
  EXPECT_EQ(budget.onTrap(t + 20s), 1s);
}

}  // namespace
}  // namespace pelato::host
