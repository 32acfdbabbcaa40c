// Task types: the templates a task can be built from. Each type says which topics its template
// reads, so the workflow parser can require exactly those. The list is data, passed to the
// parser, so that a new template folder (with its own TaskType) adds a type without touching
// the parser.
#pragma once

#include <string>
#include <vector>

namespace pelato::pipeline {

enum class TopicUse { Required, Optional, Unused };

struct TaskType {
  std::string name;
  TopicUse sourceTopic = TopicUse::Required;
  TopicUse destTopic = TopicUse::Required;
  bool operator==(const TaskType&) const = default;
};

// The thesis's types plus ours:
// - processor_nats: source_topic → task → dest_topic.
// - http_producer_nats: HTTP POST on port 8000 (and, as in the thesis's example, optionally
//   source_topic) → task → dest_topic.
// - processor_nats_kv: source_topic → task → dest_topic, the result also stored in KV.
std::vector<TaskType> builtinTaskTypes();

}  // namespace pelato::pipeline
