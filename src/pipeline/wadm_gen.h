// The application manifest a workflow deploys as (gen/wadm.yaml), pure, in the shape PELATO's
// generator writes (tests/orchestrator/thesis_wadm.yaml): per task a component with image
// REGISTRY_URL/<component_name>:<version>, a messaging `consumer` link and a spreadscaler of
// `instances` with weight 100/len(targets) (as an integer) per target, required by label
// `host-type`; and the providers the tasks use as capabilities, each with a link back to every
// task that carries its settings:
// - nats-processor (messaging, `handler`): subscriptions = source_topic, destination =
//   dest_topic, delivery;
// - http-server (wasi:http, `incoming-handler`) for http_producer_nats: path (`/` when the
//   workflow has one HTTP task, else `/<component_name>`), mode=async, destination = dest_topic;
// - kv-store (wasi:keyvalue, `store`) for processor_nats_kv: the component's own key prefix.
// The application is named after project_name, lowercased to [a-z0-9_-].
#pragma once

#include <string>

#include "pipeline/project_env.h"
#include "pipeline/workflow.h"

namespace pelato::pipeline {

// `project_name` as an application name: a NATS subject token and KV key.
std::string applicationName(const Workflow& workflow);

std::string generateManifest(const Workflow& workflow, const ProjectSettings& settings);

}  // namespace pelato::pipeline
