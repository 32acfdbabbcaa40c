#include "pipeline/template_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

using testing::HasSubstr;

TEST(TemplateSet, TheBuiltInSetHasTheThreeTypesAndEveryLanguage) {
  auto set = builtinTemplates();
  ASSERT_TRUE(set) << set.error().message();
  std::vector<std::string> names;
  for (const auto& t : set->types()) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"http_producer_nats", "processor_nats", "processor_nats_kv"}));
  EXPECT_EQ(set->tasks.at("http_producer_nats").type.sourceTopic, TopicUse::Optional);
  EXPECT_TRUE(set->tasks.at("processor_nats_kv").glue.at("store_result_in_kv"));
  EXPECT_TRUE(set->tasks.at("processor_nats").glue.empty());
  for (auto lang : {Language::C, Language::Cpp, Language::Rust, Language::AssemblyScript, Language::Go})
    EXPECT_FALSE(set->languages[lang].empty()) << languageName(lang);
  EXPECT_EQ(builtinTaskTypes(), set->types());
}

TEST(TemplateSet, BadTemplateFoldersSayWhatIsWrong) {
  auto error = [](std::vector<EmbeddedFile> files) {
    auto set = parseTemplates(files);
    return set ? std::string("no error") : set.error().message();
  };
  EXPECT_THAT(error({{"tasks/x/template.yaml", "source_topic: sometimes\n"}, {"tasks/x/wadm.yaml.mustache", ""}}),
              HasSubstr("templates/tasks/x/template.yaml: source_topic must be required, optional or unused"));
  EXPECT_THAT(error({{"tasks/x/template.yaml", "sourc_topic: required\n"}, {"tasks/x/wadm.yaml.mustache", ""}}),
              HasSubstr("unknown key \"sourc_topic\""));
  EXPECT_THAT(error({{"tasks/x/template.yaml", "description: d\n"}}), HasSubstr("no wadm.yaml.mustache"));
  EXPECT_THAT(error({{"tasks/x/wadm.yaml.mustache", ""}}), HasSubstr("no template.yaml"));
  EXPECT_THAT(error({{"tasks/x/template.yaml", "glue: {a: maybe}\n"}, {"tasks/x/wadm.yaml.mustache", ""}}),
              HasSubstr("glue.a must be true or false"));
  EXPECT_THAT(error({{"languages/cobol/glue.cob", ""}}), HasSubstr("unknown language folder \"cobol\""));
  EXPECT_THAT(error({{"tasks/x/template.yaml", "a: [\n"}, {"tasks/x/wadm.yaml.mustache", ""}}),
              HasSubstr("templates/tasks/x/template.yaml:"));
}

TEST(TemplateSet, AProjectFolderAddsTypesAndOverridesGlue) {
  auto dir = TempDir::create("templates");
  ASSERT_TRUE(dir);
  auto root = dir->path() / "templates";
  std::filesystem::create_directories(root / "tasks" / "sink_nats");
  std::filesystem::create_directories(root / "languages" / "c");
  std::ofstream(root / "tasks" / "sink_nats" / "template.yaml") << "dest_topic: unused\n";
  std::ofstream(root / "tasks" / "sink_nats" / "wadm.yaml.mustache") << "component: {name: x}\n";
  std::ofstream(root / "languages" / "c" / "glue.h.mustache") << "/* mine */\n";
  auto set = loadTemplates(dir->path());
  ASSERT_TRUE(set) << set.error().message();
  EXPECT_EQ(set->tasks.at("sink_nats").type.destTopic, TopicUse::Unused);
  EXPECT_TRUE(set->tasks.contains("processor_nats"));
  const auto& c = set->languages.at(Language::C);
  auto glue = std::find_if(c.begin(), c.end(), [](const EmbeddedFile& f) { return f.name == "glue.h.mustache"; });
  ASSERT_NE(glue, c.end());
  EXPECT_EQ(glue->text, "/* mine */\n");
}

}  // namespace
}  // namespace pelato::pipeline
