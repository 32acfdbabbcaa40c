// A task type: the template a task is built from (templates/tasks/<type>/template.yaml). It
// says which topics the template reads, so the workflow parser can require exactly those. The
// types are data handed to the parser (TemplateSet::types()), so a new template folder adds a
// type without touching the parser.
#pragma once

#include <string>

namespace pelato::pipeline {

enum class TopicUse { Required, Optional, Unused };

struct TaskType {
  std::string name;
  TopicUse sourceTopic = TopicUse::Required;
  TopicUse destTopic = TopicUse::Required;
  bool operator==(const TaskType&) const = default;
};

}  // namespace pelato::pipeline
