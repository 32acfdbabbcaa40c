#include "pipeline/wadm_gen.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "common/file.h"
#include "orchestrator/manifest.h"
#include "orchestrator/reconcile.h"
#include "pipeline/task_variables.h"

namespace pelato::pipeline {
namespace {

Workflow temperature() {
  std::string file = std::string(PELATO_SOURCE_DIR) + "/tests/pipeline/temperature_workflow.yaml";
  auto text = readTextFile(file);
  EXPECT_TRUE(text) << text.error().message();
  auto workflow = parseWorkflow(*text, file);
  EXPECT_TRUE(workflow) << workflow.error().message();
  return *workflow;
}

std::string manifestOf(const Workflow& workflow, const ProjectSettings& settings) {
  auto templates = builtinTemplates();
  EXPECT_TRUE(templates) << templates.error().message();
  auto yaml = generateManifest(workflow, settings, *templates);
  EXPECT_TRUE(yaml) << yaml.error().message();
  return yaml.value_or("");
}

const lattice::Link* linkOf(const std::vector<lattice::Link>& links, std::string_view source, std::string_view package) {
  auto it = std::find_if(links.begin(), links.end(),
                         [&](const lattice::Link& l) { return l.sourceId == source && l.witPackage == package; });
  return it == links.end() ? nullptr : &*it;
}

TEST(WadmGen, TheTemperatureExampleBecomesAManifestTheOrchestratorDeploys) {
  auto yaml = manifestOf(temperature(), {.registryUrl = "127.0.0.1:5000/temps"});
  auto manifest = orchestrator::parseManifest(yaml);
  ASSERT_TRUE(manifest) << manifest.error().message() << "\n" << yaml;
  EXPECT_EQ(manifest->name, "temperature-data-analysis");
  const auto& convert = manifest->components[0];
  EXPECT_EQ(convert.name, "celsius_to_kelvin_conversion");
  EXPECT_EQ(convert.image, "127.0.0.1:5000/temps/celsius_to_kelvin_conversion:1.0.0");

  // Placed on the targets' hosts only, one instance each.
  orchestrator::LatticeState lattice{.hosts = {{.id = "E", .labels = {{"host-type", "edge"}}},
                                               {.id = "C", .labels = {{"host-type", "cloud"}}}}};
  auto plan = orchestrator::reconcile(*manifest, lattice);
  ASSERT_EQ(plan.scales.size(), 2u);
  for (const auto& scale : plan.scales)
    EXPECT_EQ(scale.hostId, scale.componentId.ends_with("conversion") ? "E" : "C") << scale.componentId;

  // The providers' settings end up on links from the components.
  const auto* consume = linkOf(plan.links, "temperature-data-analysis-temp_filter", "messaging");
  ASSERT_NE(consume, nullptr) << yaml;
  EXPECT_EQ(consume->sourceConfig, (std::vector<std::string>{"delivery=at-most-once", "destination=filtered_kelvin_data",
                                                             "subscriptions=living_room_kelvin_data"}));
  const auto* http = linkOf(plan.links, "temperature-data-analysis-celsius_to_kelvin_conversion", "http");
  ASSERT_NE(http, nullptr) << yaml;
  EXPECT_EQ(http->sourceConfig,
            (std::vector<std::string>{"destination=living_room_kelvin_data", "mode=async", "path=/"}));
}

TEST(WadmGen, WeightsSplitOverTargetsAndKvTasksGetAStore) {
  auto workflow = temperature();
  workflow.tasks[1].type = "processor_nats_kv";
  workflow.tasks[1].targets = {"edge", "cloud", "gpu"};
  workflow.tasks[1].instances = 3;
  auto manifest = orchestrator::parseManifest(manifestOf(workflow, {.registryUrl = "r"}));
  ASSERT_TRUE(manifest) << manifest.error().message();
  const auto& filter = manifest->components[1];
  const auto* spread = std::get_if<orchestrator::SpreadScaler>(&filter.traits.back());
  ASSERT_NE(spread, nullptr);
  EXPECT_EQ(spread->instances, 3u);
  ASSERT_EQ(spread->spread.size(), 3u);
  EXPECT_EQ(spread->spread[2].weight, 33u) << "(100 / 3) | int, as the thesis's template";
  EXPECT_EQ(spread->spread[2].requirements.at("host-type"), "gpu");
  auto plan = orchestrator::reconcile(*manifest, {});
  const auto* kv = linkOf(plan.links, "temperature-data-analysis-temp_filter", "keyvalue");
  ASSERT_NE(kv, nullptr);
  EXPECT_EQ(kv->sourceConfig, std::vector<std::string>{"prefix=temp_filter."});
}

TEST(WadmGen, ANewTaskTypeIsATemplateFolder) {
  auto files = builtinTemplateFiles();
  files.push_back({"tasks/sink_nats/template.yaml", "description: subject → task, no output\ndest_topic: unused\n"});
  files.push_back({"tasks/sink_nats/wadm.yaml.mustache",
                   "component:\n  name: {{component_name}}\n  type: component\n  properties: {image: \"{{image}}\"}\n"
                   "capabilities:\n  - name: nats-processor\n    type: capability\n    properties: {image: builtin-messaging}\n"
                   "    traits:\n      - type: link\n        properties: {target: {{component_name}}, namespace: wasmcloud, "
                   "package: messaging, interfaces: [handler], source_config: [{name: sink, properties: {subscriptions: "
                   "{{source_topic}}}}]}\n"});
  auto templates = parseTemplates(files);
  ASSERT_TRUE(templates) << templates.error().message();
  auto workflow = temperature();
  workflow.tasks[1].type = "sink_nats";
  workflow.tasks[1].destTopic.clear();
  auto yaml = generateManifest(workflow, {.registryUrl = "r"}, *templates);
  ASSERT_TRUE(yaml) << yaml.error().message();
  auto manifest = orchestrator::parseManifest(*yaml);
  ASSERT_TRUE(manifest) << manifest.error().message();
  auto plan = orchestrator::reconcile(*manifest, {});
  const auto* sink = linkOf(plan.links, "temperature-data-analysis-temp_filter", "messaging");
  ASSERT_NE(sink, nullptr) << *yaml;
  EXPECT_EQ(sink->sourceConfig, std::vector<std::string>{"subscriptions=living_room_kelvin_data"});
  // The conversion task's messaging link (it has a source topic) is merged into the same capability.
  EXPECT_NE(linkOf(plan.links, "temperature-data-analysis-celsius_to_kelvin_conversion", "messaging"), nullptr);
}

TEST(WadmGen, ABrokenTemplateIsReportedByName) {
  auto files = builtinTemplateFiles();
  for (auto& f : files)
    if (f.name == "tasks/processor_nats/wadm.yaml.mustache") f.text = "component: [unclosed\n";
  auto templates = parseTemplates(files);
  ASSERT_TRUE(templates) << templates.error().message();
  auto yaml = generateManifest(temperature(), {.registryUrl = "r"}, *templates);
  ASSERT_FALSE(yaml);
  EXPECT_THAT(yaml.error().message(), testing::HasSubstr("templates/tasks/processor_nats/wadm.yaml.mustache"));
  EXPECT_THAT(yaml.error().message(), testing::HasSubstr("temp_filter"));
}

TEST(WadmGen, ApplicationNamesAreTokens) {
  EXPECT_EQ(applicationName({.projectName = "Temperature data: v2"}), "temperature-data--v2");
  EXPECT_EQ(applicationName({.projectName = ""}), "pelato-app");
}

}  // namespace
}  // namespace pelato::pipeline

namespace pelato::pipeline {
namespace {

TEST(WadmGen, StatefulTasksBecomeStatefulComponents) {
  auto workflow = temperature();
  workflow.tasks[1].stateful = true;
  workflow.tasks[1].delivery = Delivery::AtLeastOnce;
  auto manifest = orchestrator::parseManifest(manifestOf(workflow, {.registryUrl = "r"}));
  ASSERT_TRUE(manifest) << manifest.error().message();
  EXPECT_FALSE(manifest->components[0].stateful);
  EXPECT_TRUE(manifest->components[1].stateful);
}

}  // namespace
}  // namespace pelato::pipeline
