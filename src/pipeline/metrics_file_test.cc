#include "pipeline/metrics_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace pelato::pipeline {
namespace {

RunMetrics brush() {
  return {.projectName = "Temperature data analysis", .date = "2026-11-30T10:00:00Z", .tasks = 2,
          .genSeconds = 0.0042, .buildSeconds = 5.12, .compiled = 2, .cached = 0, .pushSeconds = 0.09,
          .deploySeconds = 1.53, .totalSeconds = 6.7442};
}

TEST(MetricsFile, ARunInTheThesisShape) {
  auto text = appendRun("", brush());
  ASSERT_TRUE(text) << text.error().message();
  auto root = YAML::Load(*text);
  ASSERT_EQ(root["runs"].size(), 1u);
  auto run = root["runs"][0];
  EXPECT_EQ(run["n_task"].as<int>(), 2);
  EXPECT_EQ(run["code_gen"]["gen_time"].as<std::string>(), "0.004");
  EXPECT_EQ(run["build"]["build_time"].as<std::string>(), "5.120");
  EXPECT_EQ(run["build"]["compiled"].as<int>(), 2);
  EXPECT_EQ(run["build"]["push_time"].as<std::string>(), "0.090");
  EXPECT_EQ(run["deploy"]["deploy_time"].as<std::string>(), "1.530");
  EXPECT_EQ(run["time_total"].as<std::string>(), "6.744");
}

TEST(MetricsFile, RunsAreAppendedAndStagesThatDidNotRunLeftOut) {
  auto first = appendRun("", brush());
  ASSERT_TRUE(first);
  RunMetrics genOnly{.projectName = "p", .date = "d", .tasks = 1, .genSeconds = 0.001, .totalSeconds = 0.001};
  auto second = appendRun(*first, genOnly);
  ASSERT_TRUE(second);
  auto root = YAML::Load(*second);
  ASSERT_EQ(root["runs"].size(), 2u);
  EXPECT_FALSE(root["runs"][1]["build"]);
  EXPECT_FALSE(root["runs"][1]["deploy"]);
  EXPECT_EQ(root["runs"][0]["build"]["build_time"].as<std::string>(), "5.120");
}

TEST(MetricsFile, AFileThatIsNotOursIsNotOverwritten) {
  EXPECT_THAT(appendRun("runs: 3\n", brush()).error().message(), testing::HasSubstr("fix or move the file"));
  EXPECT_THAT(appendRun("- a\n- b\n", brush()).error().message(), testing::HasSubstr("fix or move the file"));
  EXPECT_THAT(appendRun("runs: [\n", brush()).error().message(), testing::HasSubstr("metrics.yaml:"));
}

}  // namespace
}  // namespace pelato::pipeline
