#include "orchestrator/lease.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

using namespace std::chrono_literals;
using Clock = Lease::Clock;

TEST(Lease, FirstComerCreatesAndRenewsEveryThirdOfAPeriod) {
  Lease a("a", 3000ms);
  auto t0 = Clock::now();
  auto write = a.decide(std::nullopt, t0);
  ASSERT_TRUE(write && write->create);
  a.written(5, t0);
  EXPECT_TRUE(a.leader(t0));
  EXPECT_FALSE(a.decide(Lease::Current{"a", 5}, t0 + 500ms)) << "too early to renew";
  auto renew = a.decide(Lease::Current{"a", 5}, t0 + 1000ms);
  ASSERT_TRUE(renew);
  EXPECT_FALSE(renew->create);
  EXPECT_EQ(renew->revision, 5u);
}

TEST(Lease, StandbyTakesOverOnlyAfterTheRevisionStoodStillForAPeriod) {
  Lease b("b", 3000ms);
  auto t0 = Clock::now();
  EXPECT_FALSE(b.decide(Lease::Current{"a", 5}, t0));
  EXPECT_FALSE(b.decide(Lease::Current{"a", 6}, t0 + 1000ms)) << "the leader renewed";
  EXPECT_FALSE(b.decide(Lease::Current{"a", 6}, t0 + 3900ms));
  auto takeOver = b.decide(Lease::Current{"a", 6}, t0 + 4000ms);
  ASSERT_TRUE(takeOver);
  EXPECT_EQ(takeOver->revision, 6u);
  EXPECT_FALSE(b.leader(t0 + 4000ms)) << "not before the write succeeds";
  b.written(7, t0 + 4000ms);
  EXPECT_TRUE(b.leader(t0 + 4000ms));
}

TEST(Lease, LosingARaceOrFailingToRenewStepsDown) {
  Lease a("a", 3000ms);
  auto t0 = Clock::now();
  a.decide(std::nullopt, t0);
  a.written(1, t0);
  EXPECT_TRUE(a.leader(t0 + 2900ms));
  EXPECT_FALSE(a.leader(t0 + 3000ms)) << "no renewal for a period: no longer leader";

  a.decide(Lease::Current{"a", 1}, t0 + 3100ms);
  a.written(std::nullopt, t0 + 3100ms);  // a standby's takeover moved the revision first
  EXPECT_FALSE(a.leader(t0 + 3100ms));
  EXPECT_FALSE(a.decide(Lease::Current{"b", 2}, t0 + 3200ms)) << "b holds it now";
}

}  // namespace
}  // namespace pelato::orchestrator
