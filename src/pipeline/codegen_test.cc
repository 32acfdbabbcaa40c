#include "pipeline/codegen.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "orchestrator/manifest.h"
#include "pipeline/pipeline_test_project.h"

namespace pelato::pipeline {
namespace {

using ::testing::HasSubstr;
using test_project::copyProject;
using test_project::loaded;

TEST(Codegen, AFolderPerTaskWithGlueAndTheUsersCodeAndTheManifest) {
  auto copy = copyProject("examples/temperature");
  auto project = loaded(copy.dir);
  auto gen = generate(project);
  ASSERT_TRUE(gen) << gen.error().message();
  ASSERT_EQ(gen->tasks.size(), 2u);
  const auto& convert = gen->tasks[0];
  EXPECT_EQ(convert.dir, copy.dir / "gen" / "celsius_to_kelvin_conversion");
  EXPECT_TRUE(std::filesystem::exists(convert.dir / "glue.h"));
  EXPECT_TRUE(std::filesystem::exists(convert.dir / "pelato.h"));
  EXPECT_EQ(readTextFile(convert.copy).value(), readTextFile(copy.dir / "tasks" / "convert.c").value());
  auto glue = readTextFile(convert.dir / "glue.h").value();
  EXPECT_THAT(glue, HasSubstr("celsius_to_kelvin_conversion"));
  EXPECT_THAT(glue, ::testing::Not(HasSubstr("PELATO_STORE_RESULT_KEY")));
  auto manifest = orchestrator::parseManifest(readTextFile(gen->manifest).value());
  ASSERT_TRUE(manifest) << manifest.error().message();
  EXPECT_EQ(manifest->components[0].image, "127.0.0.1:5000/test/celsius_to_kelvin_conversion:1.0.0");
}

TEST(Codegen, KeyValueTasksGetTheStoringGlue) {
  auto copy = copyProject("examples/temperature");
  auto text = readTextFile(copy.dir / "workflow.yaml").value();
  text.replace(text.find("type: processor_nats"), 20, "type: processor_nats_kv");
  std::ofstream(copy.dir / "workflow.yaml") << text;
  auto gen = generate(loaded(copy.dir));
  ASSERT_TRUE(gen) << gen.error().message();
  EXPECT_THAT(readTextFile(gen->tasks[1].dir / "glue.h").value(), HasSubstr("#define PELATO_STORE_RESULT_KEY"));
}

TEST(Codegen, AFailedGenLeavesThePreviousOneAsItWas) {
  auto copy = copyProject("examples/temperature");
  auto project = loaded(copy.dir);
  ASSERT_TRUE(generate(project));
  auto before = readTextFile(project.manifestPath()).value();
  // A template that renders invalid YAML makes the manifest fail.
  project.templates.tasks.at("processor_nats").wadmFragment = "component: [\n";
  auto failed = generate(project);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message(), HasSubstr("templates/tasks/processor_nats/wadm.yaml.mustache"));
  EXPECT_EQ(readTextFile(project.manifestPath()).value(), before);
  EXPECT_TRUE(std::filesystem::exists(copy.dir / "gen" / "temp_filter" / "filter.c"));
}

TEST(Codegen, AUserFileNamedLikeTheGlueIsRefused) {
  auto copy = copyProject("examples/temperature");
  std::filesystem::rename(copy.dir / "tasks" / "filter.c", copy.dir / "tasks" / "glue.h");
  auto text = readTextFile(copy.dir / "workflow.yaml").value();
  text.replace(text.find("code: filter.c"), 14, "code: glue.h\n    lang: c");
  std::ofstream(copy.dir / "workflow.yaml") << text;
  auto gen = generate(loaded(copy.dir));
  ASSERT_FALSE(gen);
  EXPECT_THAT(gen.error().message(), HasSubstr("tasks/glue.h has the name of a file pelato generates"));
}

}  // namespace
}  // namespace pelato::pipeline
