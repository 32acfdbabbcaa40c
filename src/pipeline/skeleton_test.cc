#include "pipeline/skeleton.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"
#include "pipeline/project.h"

namespace pelato::pipeline {
namespace {

TEST(Skeleton, EveryLanguageGivesAProjectThatLoads) {
  for (auto lang : {Language::C, Language::Cpp, Language::Rust, Language::AssemblyScript, Language::Go}) {
    auto tmp = TempDir::create("skeleton");
    ASSERT_TRUE(tmp);
    auto dir = tmp->path() / "my \"odd\": project";
    auto files = createProject(dir, lang);
    ASSERT_TRUE(files) << files.error().message();
    auto project = loadProject(dir, {}, 2);
    ASSERT_TRUE(project) << languageName(lang) << ": " << project.error().message();
    EXPECT_EQ(project->workflow.projectName, "my \"odd\": project");
    ASSERT_EQ(project->workflow.tasks.size(), 1u);
    EXPECT_EQ(project->workflow.tasks[0].lang, lang);
    EXPECT_EQ(project->settings.registryUrl, "127.0.0.1:5000/pelato");
  }
}

TEST(Skeleton, ANonEmptyFolderIsLeftAlone) {
  auto tmp = TempDir::create("skeleton");
  ASSERT_TRUE(tmp);
  std::ofstream(tmp->path() / "notes.txt") << "mine";
  auto files = createProject(tmp->path(), Language::C);
  ASSERT_FALSE(files);
  EXPECT_THAT(files.error().message(), testing::HasSubstr("not empty"));
  EXPECT_FALSE(std::filesystem::exists(tmp->path() / "workflow.yaml"));
}

}  // namespace
}  // namespace pelato::pipeline
