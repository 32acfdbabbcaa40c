// The templates `gen` builds from: per task type its rules and wadm fragment, per language its
// glue files. Built-in templates (embedded_templates.h) can be overridden or extended by a
// project's own DIR/templates/ folder with the same layout (templates/README.md); a new task
// type is a new folder, no code.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "pipeline/embedded_templates.h"
#include "pipeline/language.h"
#include "pipeline/task_type.h"

namespace pelato::pipeline {

inline constexpr std::string_view kTemplatesDirName = "templates";

struct TaskTemplate {
  TaskType type;
  std::string description;
  std::map<std::string, bool> glue;  // flags handed to the language glue (store_result_in_kv, …)
  std::string wadmFragment;          // wadm.yaml.mustache
};

struct TemplateSet {
  std::map<std::string, TaskTemplate> tasks;
  std::map<Language, std::vector<EmbeddedFile>> languages;  // names relative to the language folder

  // Every task type, in name order (what workflow.yaml may use).
  std::vector<TaskType> types() const;
};

// Reads a template file list (names relative to templates/): tasks/<type>/template.yaml and
// wadm.yaml.mustache, languages/<lang>/*. Errors name the file and what is wrong.
Result<TemplateSet> parseTemplates(const std::vector<EmbeddedFile>& files);

// The built-in set, parsed once per call (a build-time error if it ever fails: tested).
Result<TemplateSet> builtinTemplates();

// The built-in set's task types (empty if the built-in set were broken, which a test rules out).
std::vector<TaskType> builtinTaskTypes();

// The built-in files overlaid with DIR/templates/ (same names replace, new ones add), parsed.
Result<TemplateSet> loadTemplates(const std::filesystem::path& projectDir);

}  // namespace pelato::pipeline
