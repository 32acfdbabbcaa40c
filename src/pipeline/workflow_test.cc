#include "pipeline/workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string fixture() {
  auto text =
      readTextFile(std::string(PELATO_SOURCE_DIR) + "/tests/pipeline/temperature_workflow.yaml");
  EXPECT_TRUE(text) << text.error().message();
  return text.value_or("");
}

// The error for `text`, which must not parse.
std::string errorFor(std::string_view text,
                     const std::vector<TaskType>& types = builtinTaskTypes()) {
  auto w = parseWorkflow(text, "workflow.yaml", types);
  EXPECT_FALSE(w) << "parsed: " << text;
  return w ? std::string() : w.error().message();
}

// One-task workflow with `extra` lines appended to the task and `replace` swapped in.
std::string oneTask(std::string_view extra = "") {
  return std::string(R"(project_name: Test
tasks:
  - name: Convert
    type: processor_nats
    code: convert.c
    targets: [edge]
    source_topic: in
    dest_topic: out
    component_name: convert
    version: 1.0.0
)") + std::string(extra);
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Workflow, ThesisTemperatureExample) {
  auto w = parseWorkflow(fixture(), "temperature_workflow.yaml");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->projectName, "Temperature data analysis");
  ASSERT_EQ(w->tasks.size(), 2u);
  EXPECT_EQ(w->tasks[0], (Task{.name = "Temp data conversion",
                               .type = "http_producer_nats",
                               .code = "convert.c",
                               .targets = {"edge"},
                               .sourceTopic = "living_room_celsius_data",
                               .destTopic = "living_room_kelvin_data",
                               .componentName = "celsius_to_kelvin_conversion",
                               .version = "1.0.0",
                               .instances = 1,
                               .delivery = Delivery::AtMostOnce,
                               .lang = Language::C}));
  EXPECT_EQ(w->tasks[1], (Task{.name = "Data filter",
                               .type = "processor_nats",
                               .code = "filter.c",
                               .targets = {"cloud"},
                               .sourceTopic = "living_room_kelvin_data",
                               .destTopic = "filtered_kelvin_data",
                               .componentName = "temp_filter",
                               .version = "1.0.2",
                               .lang = Language::C}));
}

TEST(Workflow, ThesisFirstExampleWithGoAndTwoTargets) {
  // The thesis's first sample (chapter "Setup progetto"), with a type that exists.
  auto w = parseWorkflow(R"(project_name: Test_project
tasks:
- name: Temp sensor read
  type: processor_nats
  code: sensor_read.go
  targets:
  - cloud
  - edge
  source_topic: test_source_data
  dest_topic: test_dest_data
  component_name: temp_sensor_data
  version: 1.0.0
)",
                         "workflow.yaml");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks[0].lang, Language::Go);
  EXPECT_EQ(w->tasks[0].targets, (std::vector<std::string>{"cloud", "edge"}));
}

TEST(Workflow, OptionalFields) {
  auto w = parseWorkflow(oneTask("    instances: 3\n    delivery: at-least-once\n    lang: cpp\n"),
                         "workflow.yaml");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks[0].instances, 3u);
  EXPECT_EQ(w->tasks[0].delivery, Delivery::AtLeastOnce);
  EXPECT_EQ(w->tasks[0].lang, Language::Cpp);  // `lang` wins over the .c extension
  EXPECT_EQ(deliveryName(w->tasks[0].delivery), "at-least-once");
}

TEST(Workflow, LanguageFromExtension) {
  for (auto [file, lang] :
       {std::pair{"a.c", Language::C}, std::pair{"a.cc", Language::Cpp},
        std::pair{"a.cpp", Language::Cpp}, std::pair{"a.rs", Language::Rust},
        std::pair{"a.ts", Language::AssemblyScript}, std::pair{"sub/a.go", Language::Go}}) {
    auto w = parseWorkflow(replaced(oneTask(), "convert.c", file), "workflow.yaml");
    ASSERT_TRUE(w) << w.error().message();
    EXPECT_EQ(w->tasks[0].lang, lang) << file;
  }
  EXPECT_EQ(errorFor(replaced(oneTask(), "convert.c", "convert.py")),
            "workflow.yaml:5:11: tasks[0] (Convert).code: cannot tell the language of "
            "\"convert.py\" from its extension (.c, .cc/.cpp, .rs, .ts, .go); rename it or add "
            "lang: (c|cpp|rust|as|go)");
  auto w = parseWorkflow(replaced(oneTask("    lang: as\n"), "convert.c", "convert.txt"), "w");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks[0].lang, Language::AssemblyScript);
}

TEST(Workflow, HttpProducerSourceTopicIsOptional) {
  auto text = replaced(replaced(oneTask(), "processor_nats", "http_producer_nats"),
                       "    source_topic: in\n", "");
  auto w = parseWorkflow(text, "workflow.yaml");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks[0].sourceTopic, "");
  EXPECT_EQ(w->tasks[0].destTopic, "out");
  // ... but a processor needs one.
  EXPECT_EQ(errorFor(replaced(oneTask(), "    source_topic: in\n", "")),
            "workflow.yaml:3:5: tasks[0] (Convert).source_topic: is required: the NATS subject a "
            "processor_nats task receives its input from");
}

TEST(Workflow, TaskTypesArePassedIn) {
  std::vector<TaskType> types = builtinTaskTypes();
  types.push_back({.name = "sink_db", .destTopic = TopicUse::Unused});
  auto text =
      replaced(replaced(oneTask(), "processor_nats", "sink_db"), "    dest_topic: out\n", "");
  auto w = parseWorkflow(text, "workflow.yaml", types);
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks[0].destTopic, "");
  EXPECT_EQ(errorFor(replaced(oneTask(), "processor_nats", "sink_db"), types),
            "workflow.yaml:8:17: tasks[0] (Convert).dest_topic: a sink_db task takes no "
            "dest_topic; remove it");
  EXPECT_THAT(errorFor(replaced(oneTask(), "processor_nats", "sink_db")),
              HasSubstr("unknown task type \"sink_db\""));
}

TEST(Workflow, UnknownTypeListsKnownOnesAndSuggests) {
  EXPECT_EQ(errorFor(replaced(oneTask(), "processor_nats", "procesor_nats")),
            "workflow.yaml:4:11: tasks[0] (Convert).type: unknown task type \"procesor_nats\" "
            "(did you mean \"processor_nats\"?); known types: http_producer_nats, "
            "processor_nats, processor_nats_kv (a new type needs its template folder)");
  EXPECT_THAT(errorFor(replaced(oneTask(), "processor_nats", "ftp_thing")),
              ::testing::Not(HasSubstr("did you mean")));
}

TEST(Workflow, UnknownKeysWithHints) {
  EXPECT_EQ(errorFor(replaced(oneTask(), "source_topic", "sorce_topic")),
            "workflow.yaml:7:5: tasks[0] (Convert).sorce_topic: unknown field (did you mean "
            "\"source_topic\"?); known fields: name, type, code, targets, source_topic, "
            "dest_topic, component_name, version, instances, delivery, lang, stateful");
  EXPECT_THAT(errorFor(oneTask() + "project: x\n"),
              StartsWith("workflow.yaml:11:1: project: unknown field (did you mean "
                         "\"project_name\"?); known fields: project_name, tasks"));
  EXPECT_THAT(errorFor(oneTask("    version: 2.0.0\n")),
              StartsWith("workflow.yaml:11:5: tasks[0] (Convert).version: given twice"));
}

TEST(Workflow, MissingAndEmptyFields) {
  for (std::string_view field :
       {"type", "code", "targets", "dest_topic", "component_name", "version"}) {
    std::string text = oneTask();
    size_t at = text.find(std::string("    ") + std::string(field) + ":");
    text.erase(at, text.find('\n', at) + 1 - at);
    EXPECT_THAT(
        errorFor(text),
        StartsWith(fmt::format("workflow.yaml:3:5: tasks[0] (Convert).{}: is required", field)));
  }
  EXPECT_EQ(errorFor(replaced(oneTask(), "name: Convert", "name: \"\"")),
            "workflow.yaml:3:11: tasks[0].name: must not be empty: the task's name, e.g. Temp "
            "data conversion");
  EXPECT_THAT(errorFor(replaced(oneTask(), "version: 1.0.0", "version:")),
              StartsWith("workflow.yaml:10:5: tasks[0] (Convert).version: is required"));
  EXPECT_THAT(errorFor("tasks: []\n"), StartsWith("workflow.yaml:1:1: project_name: is required"));
  EXPECT_THAT(errorFor("project_name: x\ntasks: []\n"),
              StartsWith("workflow.yaml:2:8: tasks: must be a non-empty list of tasks"));
  EXPECT_THAT(errorFor("project_name: x\n"), StartsWith("workflow.yaml:1:1: tasks: must be a "));
}

TEST(Workflow, WrongTypes) {
  EXPECT_THAT(errorFor(replaced(oneTask(), "targets: [edge]", "targets: edge")),
              StartsWith("workflow.yaml:6:14: tasks[0] (Convert).targets: must be a non-empty "
                         "list of host-type labels, e.g. [edge] or [edge, cloud]; got \"edge\""));
  EXPECT_THAT(errorFor(replaced(oneTask(), "version: 1.0.0", "version: [1]")),
              StartsWith("workflow.yaml:10:14: tasks[0] (Convert).version: must be a string, got "
                         "a list"));
  EXPECT_THAT(errorFor("- a\n- b\n"), StartsWith("workflow.yaml:1:1: workflow: must be a map"));
  EXPECT_THAT(errorFor(""), StartsWith("workflow.yaml: workflow: must be a map"));
  EXPECT_THAT(errorFor("project_name: x\ntasks:\n  - just a string\n"),
              StartsWith("workflow.yaml:3:5: tasks[0]: must be a map"));
  EXPECT_THAT(errorFor(replaced(oneTask(), "targets: [edge]", "targets: [[edge]]")),
              StartsWith("workflow.yaml:6:15: tasks[0] (Convert).targets[0]: must be a string"));
}

TEST(Workflow, Duplicates) {
  std::string two = oneTask() + R"(  - name: Convert
    type: processor_nats
    code: b.c
    targets: [cloud]
    source_topic: out
    dest_topic: final
    component_name: other
    version: 1.0.0
)";
  EXPECT_EQ(errorFor(two),
            "workflow.yaml:11:11: tasks[1] (Convert).name: \"Convert\" is also the name of "
            "tasks[0]; give each task its own name");
  EXPECT_EQ(
      errorFor(replaced(replaced(two, "name: Convert\n    type: processor_nats\n    code: b.c",
                                 "name: Second\n    type: processor_nats\n    code: b.c"),
                        "component_name: other", "component_name: convert")),
      "workflow.yaml:17:21: tasks[1] (Second).component_name: \"convert\" is also the "
      "component_name of tasks[0] (Convert); each task needs its own component_name");
  EXPECT_THAT(errorFor(replaced(oneTask(), "[edge]", "[edge, cloud, edge]")),
              HasSubstr("targets[2]: \"edge\" is listed twice"));
}

TEST(Workflow, ComponentNames) {
  for (std::string_view ok : {"temp_filter", "a", "a-b", "a--b", "a__b", "x1_2"}) {
    auto w = parseWorkflow(
        replaced(oneTask(), "component_name: convert", fmt::format("component_name: {}", ok)), "w");
    EXPECT_TRUE(w) << ok << ": " << w.error().message();
  }
  for (std::string_view bad : {"Temp", "a.b", "_a", "a_", "a___b", "a-_b", "a b", "a*", "-a"}) {
    auto e = errorFor(
        replaced(oneTask(), "component_name: convert", fmt::format("component_name: \"{}\"", bad)));
    EXPECT_THAT(e, HasSubstr("is not a valid component name")) << bad;
  }
  EXPECT_THAT(
      errorFor(replaced(oneTask(), "component_name: convert", "component_name: Temp Filter")),
      HasSubstr("e.g. \"temp_filter\""));
}

TEST(Workflow, Versions) {
  for (std::string_view ok : {"1.0.0", "v2", "1.0.0-rc.1", "latest", "1_0"}) {
    auto w = parseWorkflow(replaced(oneTask(), "1.0.0", ok), "w");
    EXPECT_TRUE(w) << ok << ": " << w.error().message();
  }
  for (std::string_view bad : {"\".1\"", "\"-1\"", "1.0 beta", "1+2", "\"\""}) {
    auto e = errorFor(replaced(oneTask(), "1.0.0", bad));
    EXPECT_THAT(e, HasSubstr("tasks[0] (Convert).version:")) << bad;
  }
}

TEST(Workflow, Topics) {
  auto w = parseWorkflow(replaced(oneTask(), "source_topic: in", "source_topic: sensors.*.c"), "w");
  EXPECT_TRUE(w) << w.error().message();
  EXPECT_THAT(errorFor(replaced(oneTask(), "dest_topic: out", "dest_topic: out.*")),
              HasSubstr("dest_topic: \"out.*\" is not a valid NATS subject"));
  EXPECT_THAT(errorFor(replaced(oneTask(), "dest_topic: out", "dest_topic: a..b")),
              HasSubstr("is not a valid NATS subject"));
  EXPECT_THAT(errorFor(replaced(oneTask(), "dest_topic: out", "dest_topic: \"a b\"")),
              HasSubstr("is not a valid NATS subject"));
  EXPECT_THAT(errorFor(replaced(oneTask(), "dest_topic: out", "dest_topic: in")),
              HasSubstr("the task would consume its own output"));
  EXPECT_THAT(errorFor(replaced(replaced(oneTask(), "source_topic: in", "source_topic: a.>"),
                                "dest_topic: out", "dest_topic: a.b.c")),
              HasSubstr("the task would consume its own output"));
}

TEST(Workflow, TargetsCodeInstancesDeliveryLang) {
  EXPECT_THAT(errorFor(replaced(oneTask(), "[edge]", "[\"edge box\"]")),
              HasSubstr("targets[0]: \"edge box\" is not a valid host-type label"));
  EXPECT_THAT(errorFor(replaced(oneTask(), "[edge]", "[]")),
              HasSubstr("targets: must be a non-empty list"));
  for (std::string_view bad : {"../x.c", "/abs.c", "a//b.c", "a b.c", "./x.c"})
    EXPECT_THAT(errorFor(replaced(oneTask(), "code: convert.c", fmt::format("code: \"{}\"", bad))),
                HasSubstr("is not a usable file name"))
        << bad;
  for (std::string_view bad : {"0", "-1", "two", "\"3\"", "1.5", "100001"})
    EXPECT_THAT(errorFor(oneTask(fmt::format("    instances: {}\n", bad))),
                HasSubstr("instances: must be a whole number from 1 to 100000 (e.g. 2)"))
        << bad;
  EXPECT_EQ(errorFor(oneTask("    delivery: at_least_once\n")),
            "workflow.yaml:11:15: tasks[0] (Convert).delivery: unknown delivery "
            "\"at_least_once\" (did you mean \"at-least-once\"?); use at-most-once or "
            "at-least-once");
  EXPECT_EQ(errorFor(oneTask("    lang: rsut\n")),
            "workflow.yaml:11:11: tasks[0] (Convert).lang: unknown language \"rsut\" (did you "
            "mean \"rust\"?); known: c, cpp, rust, as, go");
  EXPECT_THAT(errorFor(replaced(oneTask(), "name: Convert", "name: \"a\\tb\"")),
              HasSubstr("tasks[0].name: must be UTF-8 text without control characters"));
}

TEST(Workflow, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(errorFor("project_name: x\ntasks: [\n"),
            "workflow.yaml:3:1: end of sequence flow not found; fix the YAML syntax");
  EXPECT_THAT(errorFor("project_name: x\n  tasks: - a\n"), StartsWith("workflow.yaml:2:"));
  std::string deep(5000, '[');
  EXPECT_THAT(errorFor(deep), HasSubstr("nested too deeply"));
}

// A project directory in a temp dir, with the fixture as its workflow.
struct Project {
  TempDir dir = TempDir::create("pipeline-test").value();
  void write(const std::filesystem::path& rel, std::string_view text) {
    std::filesystem::create_directories((dir.path() / rel).parent_path());
    std::ofstream(dir.path() / rel) << text;
  }
};

TEST(Workflow, LoadChecksCodeFiles) {
  Project p;
  p.write("workflow.yaml", fixture());
  p.write("tasks/convert.c", "");
  auto missing = loadWorkflow(p.dir.path());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(),
            fmt::format("{}/workflow.yaml: tasks[1] (Data filter).code: {}/tasks/filter.c does "
                        "not exist; create it or fix the file name",
                        p.dir.path().string(), p.dir.path().string()));
  p.write("tasks/filter.c", "");
  auto w = loadWorkflow(p.dir.path());
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_EQ(w->tasks.size(), 2u);
}

TEST(Workflow, LoadNamesTheFileInErrors) {
  Project p;
  auto none = loadWorkflow(p.dir.path());
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message(), HasSubstr("workflow.yaml: not found"));
  p.write("workflow.yaml", "project_name: x\ntasks: [\n");
  auto bad = loadWorkflow(p.dir.path());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(),
            fmt::format("{}/workflow.yaml:3:1: end of sequence flow not found; fix the YAML syntax",
                        p.dir.path().string()));
}

}  // namespace
}  // namespace pelato::pipeline

namespace pelato::pipeline {
namespace {

TEST(Workflow, StatefulTasks) {
  auto w = parseWorkflow(oneTask("    stateful: true\n"), "workflow.yaml");
  ASSERT_TRUE(w) << w.error().message();
  EXPECT_TRUE(w->tasks[0].stateful);
  EXPECT_EQ(w->tasks[0].delivery, Delivery::AtLeastOnce) << "a stateful task's messages wait in JetStream";
  EXPECT_THAT(errorFor(oneTask("    stateful: true\n    instances: 2\n")),
              HasSubstr("instances: a stateful task runs one instance"));
  EXPECT_THAT(errorFor(oneTask("    stateful: true\n    delivery: at-most-once\n")),
              HasSubstr("delivery: a stateful task needs at-least-once delivery"));
  EXPECT_THAT(errorFor(oneTask("    stateful: yes\n")), HasSubstr("stateful: must be true or false"));
}

}  // namespace
}  // namespace pelato::pipeline
