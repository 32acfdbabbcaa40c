#include "pipeline/task_variables.h"

#include <algorithm>
#include <cctype>

namespace pelato::pipeline {

std::string applicationName(const Workflow& workflow) {
  std::string name;
  for (char c : workflow.projectName) {
    auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : (c == '_' ? '_' : '-');
  }
  return name.empty() ? "pelato-app" : name;
}

std::string imageRef(const Task& task, const ProjectSettings& settings) {
  return settings.registryUrl + "/" + task.componentName + ":" + task.version;
}

TemplateVariables taskVariables(const Workflow& workflow, const Task& task, const ProjectSettings& settings,
                                const TaskTemplate& type) {
  TemplateVariables v;
  std::string file = task.code;
  size_t dot = file.find_last_of('.');
  size_t slash = file.find_last_of('/');
  bool hasExtension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  auto sameType = std::count_if(workflow.tasks.begin(), workflow.tasks.end(),
                                [&](const Task& t) { return t.type == task.type; });
  v.strings = {
      {"project_name", workflow.projectName},
      {"app_name", applicationName(workflow)},
      {"task_name", task.name},
      {"task_type", task.type},
      {"component_name", task.componentName},
      {"version", task.version},
      {"image", imageRef(task, settings)},
      {"task_file", file},
      {"task_stem", hasExtension ? file.substr(0, dot) : file},
      {"delivery", std::string(deliveryName(task.delivery))},
      {"instances", std::to_string(task.instances)},
      {"route_path", sameType == 1 ? "/" : "/" + task.componentName},
  };
  // Absent, not empty, when not given: mustache renders a section for any string, "" included.
  if (!task.sourceTopic.empty()) v.strings["source_topic"] = task.sourceTopic;
  if (!task.destTopic.empty()) v.strings["dest_topic"] = task.destTopic;
  if (task.stateful) v.strings["stateful"] = "true";
  // The thesis's weight: int(100 / len(targets)).
  std::string weight = std::to_string(100 / std::max<size_t>(task.targets.size(), 1));
  for (const auto& target : task.targets) v.lists["targets"].push_back({{"name", target}, {"weight", weight}});
  v.flags = type.glue;
  return v;
}

}  // namespace pelato::pipeline
