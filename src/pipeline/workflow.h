// A PELATO project's workflow.yaml as plain data: the thesis's fields (project_name; per task
// name, type, code, targets, source_topic, dest_topic, component_name, version) plus pelato's
// optional ones (instances, delivery, lang). parseWorkflow validates everything a later stage
// relies on, so gen/build/deploy never meet a half-valid task: every error names the file
// (with line and column), the task and the field, and says what to change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pipeline/language.h"
#include "pipeline/task_type.h"
#include "pipeline/template_set.h"

namespace pelato::pipeline {

// What happens to a message whose task fails or whose host dies mid-task.
enum class Delivery { AtMostOnce, AtLeastOnce };

inline constexpr std::string_view kWorkflowFileName = "workflow.yaml";
// Task code lives in DIR/tasks/ (the thesis copies DIR/tasks/<code> into gen/<component>/).
inline constexpr std::string_view kTasksDirName = "tasks";

struct Task {
  std::string name;  // free text (spaces allowed); the application name on the lattice
  std::string type;  // a TaskType name: the template the task is built from
  std::string code;  // the task's source file, relative to DIR/tasks/
  // host-type label values the task is spread over, evenly (wadm spread weight 100/len).
  std::vector<std::string> targets;
  std::string sourceTopic;  // empty when the type takes none (or it is optional and not given)
  std::string destTopic;
  std::string componentName;  // OCI repository name and NATS subject token: [a-z0-9_-]
  std::string version;        // OCI tag
  uint32_t instances = 1;
  Delivery delivery = Delivery::AtMostOnce;
  // Keeps state in its instance (ours): one instance, at-least-once, moved with its state.
  bool stateful = false;
  Language lang = Language::C;  // from `lang:` or the code file's extension
  bool operator==(const Task&) const = default;
};

struct Workflow {
  std::string projectName;
  std::vector<Task> tasks;
  bool operator==(const Workflow&) const = default;
};

std::string_view deliveryName(Delivery delivery);  // "at-most-once" | "at-least-once"

// Parses and validates workflow.yaml text; `fileName` is how errors name the file. `types` are
// the known task types (a project's TemplateSet::types()).
Result<Workflow> parseWorkflow(std::string_view text, std::string_view fileName,
                               const std::vector<TaskType>& types = builtinTaskTypes());

// Reads DIR/workflow.yaml, parses it, and checks that every task's code file exists in
// DIR/tasks/.
Result<Workflow> loadWorkflow(const std::filesystem::path& projectDir,
                              const std::vector<TaskType>& types = builtinTaskTypes());

}  // namespace pelato::pipeline
