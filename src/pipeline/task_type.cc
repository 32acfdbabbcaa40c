#include "pipeline/task_type.h"

namespace pelato::pipeline {

std::vector<TaskType> builtinTaskTypes() {
  return {
      {.name = "processor_nats"},
      {.name = "http_producer_nats", .sourceTopic = TopicUse::Optional},
      {.name = "processor_nats_kv"},
  };
}

}  // namespace pelato::pipeline
