#include "pipeline/builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "pipeline/pipeline_test_project.h"
#include "pipeline/skeleton.h"
#include "security/module_claims.h"

namespace pelato::pipeline {
namespace {

using ::testing::HasSubstr;
using test_project::copyProject;
using test_project::loaded;

struct Build {
  security::KeyPair issuer = security::KeyPair::generate(security::KeyType::Account);
  std::vector<BuildEvent> events;

  Result<std::vector<BuiltTask>> run(const Project& project) {
    auto gen = generate(project);
    if (!gen) return fail(std::move(gen.error()));
    events.clear();
    return buildAll(project, *gen,
                    {.search = {.environment = {{"PATH", std::getenv("PATH")}}, .nodeRoots = {PELATO_SOURCE_DIR}},
                     .issuer = &issuer, .parallel = 2},
                    [this](const BuildEvent& e) { events.push_back(e); });
  }
};

TEST(Builder, CompilesSignsAndCachesEveryTask) {
  auto copy = copyProject("examples/temperature");
  auto project = loaded(copy.dir);
  Build build;
  auto first = build.run(project);
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_EQ(first->size(), 2u);
  for (const auto& b : *first) {
    EXPECT_FALSE(b.cached);
    auto bytes = readFile(b.module).value();
    auto claims = security::extractClaims(bytes);
    ASSERT_TRUE(claims && *claims) << b.task.task.componentName;
    EXPECT_EQ((*claims)->claims.issuer, build.issuer.publicKey().encode());
    EXPECT_EQ((*claims)->claims.name, b.task.task.componentName);
    EXPECT_TRUE((*claims)->claims.pelatoCaps.empty());  // imports nothing from "pelato"
  }
  auto bytes = readFile((*first)[0].module).value();

  // Nothing changed: nothing compiled, the very same signed bytes.
  auto second = build.run(project);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_TRUE((*second)[0].cached && (*second)[1].cached);
  EXPECT_EQ(readFile((*second)[0].module).value(), bytes);
  EXPECT_TRUE(std::none_of(build.events.begin(), build.events.end(),
                           [](const BuildEvent& e) { return e.kind == BuildEvent::Kind::Started; }));

  // One task's code changes: only that one is compiled again.
  std::ofstream(copy.dir / "tasks" / "filter.c", std::ios::app) << "\n/* edited */\n";
  auto third = build.run(project);
  ASSERT_TRUE(third) << third.error().message();
  EXPECT_TRUE((*third)[0].cached);
  EXPECT_FALSE((*third)[1].cached);
}

TEST(Builder, KeyValueTasksAreGrantedTheKvCapability) {
  auto copy = copyProject("examples/temperature");
  auto text = readTextFile(copy.dir / "workflow.yaml").value();
  text.replace(text.find("type: processor_nats"), 20, "type: processor_nats_kv");
  std::ofstream(copy.dir / "workflow.yaml") << text;
  Build build;
  auto built = build.run(loaded(copy.dir));
  ASSERT_TRUE(built) << built.error().message();
  auto claims = security::extractClaims(readFile((*built)[1].module).value());
  ASSERT_TRUE(claims && *claims);
  EXPECT_EQ((*claims)->claims.pelatoCaps, std::vector<std::string>{"kv"});
}

TEST(Builder, CompileErrorsNameTheUsersFileAndEveryFailure) {
  auto copy = copyProject("examples/temperature");
  std::ofstream(copy.dir / "tasks" / "filter.c", std::ios::app) << "int broken = ;\n";
  std::ofstream(copy.dir / "tasks" / "convert.c", std::ios::app) << "int also_broken = ;\n";
  Build build;
  auto built = build.run(loaded(copy.dir));
  ASSERT_FALSE(built);
  const auto& message = built.error().message();
  EXPECT_THAT(message, HasSubstr("2 of 2 tasks failed to build"));
  EXPECT_THAT(message, HasSubstr((copy.dir / "tasks" / "filter.c").string() + ":"));
  EXPECT_THAT(message, HasSubstr((copy.dir / "tasks" / "convert.c").string() + ":"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("/gen/")));
  // Nothing half-built is taken as cached next time.
  EXPECT_FALSE(std::filesystem::exists(copy.dir / ".pelato" / "build" / "temp_filter" / "key"));
}

TEST(Builder, EveryNewProjectLanguageBuildsHere) {
  for (auto lang : {Language::C, Language::Cpp, Language::Rust, Language::AssemblyScript}) {
    auto tmp = TempDir::create("skeleton");
    ASSERT_TRUE(tmp);
    ASSERT_TRUE(createProject(tmp->path() / "p", lang));
    Build build;
    auto built = build.run(loaded(tmp->path() / "p"));
    ASSERT_TRUE(built) << languageName(lang) << ": " << built.error().message();
    auto claims = security::extractClaims(readFile((*built)[0].module).value());
    EXPECT_TRUE(claims && *claims) << languageName(lang);
  }
}

TEST(Builder, AModuleWithoutTheTaskAbiIsRefused) {
  auto copy = copyProject("examples/temperature");
  std::ofstream(copy.dir / "tasks" / "filter.c", std::ios::trunc) << "int x;\n";  // no exec_task
  Build build;
  auto built = build.run(loaded(copy.dir));
  ASSERT_FALSE(built);
  EXPECT_THAT(built.error().message(), HasSubstr("temp_filter"));
}

}  // namespace
}  // namespace pelato::pipeline
