#include "dashboard/message_rates.h"

#include <gtest/gtest.h>

namespace pelato::dashboard {
namespace {

TEST(MessageRates, ChartsApplicationSubjectsOnly) {
  EXPECT_TRUE(isChartedSubject("temps.in"));
  EXPECT_TRUE(isChartedSubject("orders"));
  for (auto hidden : {"_INBOX.abc.1", "$JS.API.INFO", "$KV.LATTICEDATA_x.k", "wasmbus.evt.default.host_heartbeat",
                      "wasmbus.ctl.v1.default.host.ping", "wadm.api.default.model.list", "pelato.api.default.x"})
    EXPECT_FALSE(isChartedSubject(hidden)) << hidden;
}

TEST(MessageRates, CountsPerSecondOverTheWindow) {
  MessageRates rates(10, 5);
  for (int i = 0; i < 3; ++i) rates.count("a", 100);
  for (int i = 0; i < 7; ++i) rates.count("a", 101);
  rates.count("b", 101);
  rates.count("a", 102);  // the current second: still counting, not charted
  EXPECT_EQ(rates.at("a", 101), 7u);
  auto json = rates.toJson(102);
  EXPECT_EQ(json["seconds"], lattice::Json({98, 99, 100, 101}));
  ASSERT_EQ(json["subjects"].size(), 2u);
  EXPECT_EQ(json["subjects"][0]["subject"], "a") << "busiest first";
  EXPECT_EQ(json["subjects"][0]["rate"], 7);
  EXPECT_EQ(json["subjects"][0]["series"], lattice::Json({0, 0, 3, 7}));
  EXPECT_EQ(json["subjects"][1]["series"], lattice::Json({0, 0, 0, 1}));

  // A slot is reused once its second left the window.
  rates.count("a", 105);
  EXPECT_EQ(rates.at("a", 100), 0u);
  EXPECT_EQ(rates.at("a", 105), 1u);
  EXPECT_TRUE(rates.active(106));
  EXPECT_FALSE(rates.active(200));
  EXPECT_EQ(rates.toJson(200)["subjects"].size(), 0u) << "idle subjects are left out";
}

TEST(MessageRates, CapsTheSubjectsAndCountsTheRestAsOther) {
  MessageRates rates(4, 10);
  for (int i = 0; i < 6; ++i) rates.count(fmt::format("s{}", i), 50);
  EXPECT_EQ(rates.subjects(), 4u);
  EXPECT_EQ(rates.at("s2", 50), 1u);
  EXPECT_EQ(rates.at(kOtherSubjects, 50), 3u);
  // Once the old subjects idled a whole window, new ones take their place.
  rates.count("fresh", 70);
  EXPECT_EQ(rates.at("fresh", 70), 1u);
  EXPECT_LE(rates.subjects(), 4u);
}

}  // namespace
}  // namespace pelato::dashboard
