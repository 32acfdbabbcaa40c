#include "orchestrator/spread.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

HostView edge(std::string id, uint32_t running = 0) {
  return {std::move(id), {{"host-type", "edge"}}, running};
}
HostView cloud(std::string id, uint32_t running = 0) {
  return {std::move(id), {{"host-type", "cloud"}}, running};
}

SpreadScaler edgeCloud(uint32_t instances, uint32_t edgeWeight = 50, uint32_t cloudWeight = 50) {
  return {.instances = instances,
          .spread = {
              {.name = "edge", .weight = edgeWeight, .requirements = {{"host-type", "edge"}}},
              {.name = "cloud", .weight = cloudWeight, .requirements = {{"host-type", "cloud"}}}}};
}

TEST(Spread, SplitByWeightAlwaysSumsToInstances) {
  std::vector<uint32_t> w = {50, 50};
  EXPECT_EQ(splitByWeight(4, w), (std::vector<uint32_t>{2, 2}));
  EXPECT_EQ(splitByWeight(1, w), (std::vector<uint32_t>{1, 0}));  // tie: the earlier entry
  std::vector<uint32_t> thirds = {33, 33, 33};
  EXPECT_EQ(splitByWeight(10, thirds), (std::vector<uint32_t>{4, 3, 3}));
  std::vector<uint32_t> uneven = {3, 1};  // does not sum to 100
  EXPECT_EQ(splitByWeight(5, uneven), (std::vector<uint32_t>{4, 1}));
  std::vector<uint32_t> zeros = {0, 0};
  EXPECT_EQ(splitByWeight(3, zeros), (std::vector<uint32_t>{2, 1}));
  EXPECT_EQ(splitByWeight(0, w), (std::vector<uint32_t>{0, 0}));
  std::vector<uint32_t> big = {1'000'000, 1};
  EXPECT_EQ(splitByWeight(1'000'000, big), (std::vector<uint32_t>{999'999, 1}));
}

TEST(Spread, FourInstancesFiftyFiftyOneEdgeOneCloud) {
  std::vector<HostView> hosts = {cloud("c1"), edge("e1")};
  auto plan = computeSpread(edgeCloud(4), hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 2}, {"e1", 2}}));
  EXPECT_TRUE(plan.fellBack.empty());
  EXPECT_EQ(plan.unplaced, 0u);
}

TEST(Spread, EdgeShareSpreadsOverEdgeHosts) {
  std::vector<HostView> hosts = {edge("e2"), cloud("c1"), edge("e1")};
  auto plan = computeSpread(edgeCloud(4), hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 2}, {"e1", 1}, {"e2", 1}}));
}

TEST(Spread, LeftoverGoesToHostAlreadyRunningIt) {
  std::vector<HostView> hosts = {edge("e1"), edge("e2", 1), cloud("c1")};
  auto plan = computeSpread(edgeCloud(2), hosts);  // edge gets 1: keep it where it runs
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 1}, {"e1", 0}, {"e2", 1}}));
}

TEST(Spread, NoEdgeHostFallsBackToCloud) {
  std::vector<HostView> hosts = {cloud("c1"), {"x", {{"host-type", "gpu"}}, 0}};
  auto plan = computeSpread(edgeCloud(4), hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 4}}));
  EXPECT_EQ(plan.fellBack, std::vector<std::string>{"edge"});
  EXPECT_EQ(plan.unplaced, 0u);
}

TEST(Spread, NoMatchingHostAtAllLeavesInstancesUnplaced) {
  std::vector<HostView> hosts = {{"x", {}, 0}};
  auto plan = computeSpread(edgeCloud(3), hosts);
  EXPECT_TRUE(plan.targets.empty());
  EXPECT_EQ(plan.fellBack, (std::vector<std::string>{"edge", "cloud"}));
  EXPECT_EQ(plan.unplaced, 3u);
}

TEST(Spread, WeightsNotSummingToHundred) {
  std::vector<HostView> hosts = {edge("e1"), cloud("c1")};
  auto plan = computeSpread(edgeCloud(4, 3, 1), hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 1}, {"e1", 3}}));
}

TEST(Spread, ZeroInstances) {
  std::vector<HostView> hosts = {edge("e1", 2), cloud("c1")};
  auto plan = computeSpread(edgeCloud(0), hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"c1", 0}, {"e1", 0}}));
}

TEST(Spread, NoSpreadEntriesUsesEveryHost) {
  std::vector<HostView> hosts = {edge("b"), cloud("a"), edge("c")};
  auto plan = computeSpread({.instances = 4}, hosts);
  EXPECT_EQ(plan.targets, (std::vector<HostTarget>{{"a", 2}, {"b", 1}, {"c", 1}}));
  EXPECT_TRUE(plan.fellBack.empty());
}

TEST(Spread, RequirementsNeedAllLabels) {
  HostView host{"h", {{"host-type", "edge"}, {"zone", "eu"}}, 0};
  EXPECT_TRUE(matchesRequirements(host, {{"host-type", "edge"}}));
  EXPECT_TRUE(matchesRequirements(host, {{"host-type", "edge"}, {"zone", "eu"}}));
  EXPECT_FALSE(matchesRequirements(host, {{"host-type", "edge"}, {"zone", "us"}}));
  EXPECT_FALSE(matchesRequirements(host, {{"arch", "arm"}}));
}

}  // namespace
}  // namespace pelato::orchestrator
