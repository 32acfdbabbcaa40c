#include "pipeline/template_set.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

constexpr std::string_view kTasksPrefix = "tasks/";
constexpr std::string_view kLanguagesPrefix = "languages/";
constexpr std::string_view kTypeFile = "template.yaml";
constexpr std::string_view kWadmFile = "wadm.yaml.mustache";

Result<TopicUse> topicUse(const YAML::Node& node, std::string_view key, const std::string& file) {
  if (!node) return TopicUse::Required;
  std::string value = node.IsScalar() ? node.Scalar() : "";
  if (value == "required") return TopicUse::Required;
  if (value == "optional") return TopicUse::Optional;
  if (value == "unused") return TopicUse::Unused;
  return fail("{}: {} must be required, optional or unused", file, key);
}

Result<TaskTemplate> parseTaskType(const std::string& name, const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return fail("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (!root.IsMap()) return fail("{}: must be a mapping with description, source_topic, dest_topic, glue", file);
  TaskTemplate t{.type = {.name = name}};
  for (const auto& entry : root) {
    auto key = entry.first.Scalar();
    if (key != "description" && key != "source_topic" && key != "dest_topic" && key != "glue")
      return fail("{}: unknown key \"{}\" (known: description, source_topic, dest_topic, glue)", file, key);
  }
  if (root["description"]) t.description = root["description"].as<std::string>("");
  auto source = topicUse(root["source_topic"], "source_topic", file);
  if (!source) return fail(std::move(source.error()));
  auto dest = topicUse(root["dest_topic"], "dest_topic", file);
  if (!dest) return fail(std::move(dest.error()));
  t.type.sourceTopic = *source;
  t.type.destTopic = *dest;
  if (const auto& glue = root["glue"]) {
    if (!glue.IsMap()) return fail("{}: glue must map flag names to true or false", file);
    for (const auto& flag : glue) {
      bool value = false;
      if (!YAML::convert<bool>::decode(flag.second, value))
        return fail("{}: glue.{} must be true or false", file, flag.first.Scalar());
      t.glue[flag.first.Scalar()] = value;
    }
  }
  return t;
}

// "tasks/<type>/<file>" → {type, file}; empty when the name has another shape.
std::pair<std::string, std::string> splitFolder(std::string_view rest) {
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  return {std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

}  // namespace

std::vector<TaskType> TemplateSet::types() const {
  std::vector<TaskType> out;
  for (const auto& [name, t] : tasks) out.push_back(t.type);
  return out;
}

Result<TemplateSet> parseTemplates(const std::vector<EmbeddedFile>& files) {
  TemplateSet set;
  std::map<std::string, std::string> typeFiles, wadmFiles;
  for (const auto& file : files) {
    std::string_view name = file.name;
    if (name.starts_with(kTasksPrefix)) {
      auto [type, rest] = splitFolder(name.substr(kTasksPrefix.size()));
      if (rest == kTypeFile) typeFiles[type] = file.text;
      else if (rest == kWadmFile) wadmFiles[type] = file.text;
      else if (!type.empty() && !rest.empty()) return fail("templates/{}: a task type folder holds only {} and {}", name, kTypeFile, kWadmFile);
    } else if (name.starts_with(kLanguagesPrefix)) {
      auto [lang, rest] = splitFolder(name.substr(kLanguagesPrefix.size()));
      auto language = languageFromName(lang);
      if (!language)
        return fail("templates/{}: unknown language folder \"{}\" (known: {})", name, lang, fmt::join(kLanguageNames, ", "));
      set.languages[*language].push_back({rest, file.text});
    }
  }
  for (const auto& [type, text] : typeFiles) {
    auto parsed = parseTaskType(type, text, fmt::format("templates/tasks/{}/{}", type, kTypeFile));
    if (!parsed) return fail(std::move(parsed.error()));
    auto wadm = wadmFiles.find(type);
    if (wadm == wadmFiles.end())
      return fail("templates/tasks/{}: has {} but no {} (the task's component in the manifest)", type, kTypeFile, kWadmFile);
    parsed->wadmFragment = wadm->second;
    set.tasks.emplace(type, std::move(*parsed));
  }
  for (const auto& [type, text] : wadmFiles)
    if (!typeFiles.contains(type)) return fail("templates/tasks/{}: has {} but no {}", type, kWadmFile, kTypeFile);
  return set;
}

Result<TemplateSet> builtinTemplates() { return parseTemplates(builtinTemplateFiles()); }

std::vector<TaskType> builtinTaskTypes() {
  auto set = builtinTemplates();
  return set ? set->types() : std::vector<TaskType>{};
}

Result<TemplateSet> loadTemplates(const std::filesystem::path& projectDir) {
  auto files = builtinTemplateFiles();
  std::filesystem::path root = projectDir / kTemplatesDirName;
  std::error_code ec;
  if (std::filesystem::is_directory(root, ec)) {
    std::vector<EmbeddedFile> own;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      auto text = readTextFile(it->path());
      if (!text) return fail(std::move(text.error()));
      own.push_back({std::filesystem::relative(it->path(), root).generic_string(), std::move(*text)});
    }
    if (ec) return fail("reading {}: {}", root.string(), ec.message());
    for (auto& file : own) {
      auto same = std::find_if(files.begin(), files.end(), [&](const EmbeddedFile& f) { return f.name == file.name; });
      if (same != files.end()) same->text = std::move(file.text);
      else files.push_back(std::move(file));
    }
  }
  return parseTemplates(files);
}

}  // namespace pelato::pipeline
