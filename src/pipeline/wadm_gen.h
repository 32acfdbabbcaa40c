// The application manifest a workflow deploys as (gen/wadm.yaml), pure, in the shape PELATO's
// generator writes (tests/orchestrator/thesis_wadm.yaml): per task its type's rendered
// templates/tasks/<type>/wadm.yaml.mustache gives the task's component (image
// REGISTRY_URL/<component_name>:<version>, links, a spreadscaler with weight 100/len(targets) per
// host-type) and the capabilities it links to; capabilities of the same name are merged, their
// link traits appended. The built-in types give:
// - nats-processor (messaging, `handler`): subscriptions = source_topic, destination =
//   dest_topic, delivery;
// - http-server (wasi:http, `incoming-handler`) for http_producer_nats: path (`/` when the
//   workflow has one HTTP task, else `/<component_name>`), mode=async, destination = dest_topic;
// - kv-store (wasi:keyvalue, `store`) for processor_nats_kv: the component's own key prefix.
// The application is named after project_name, lowercased to [a-z0-9_-]. The result is checked
// with the orchestrator's manifest parser, so a broken template fails here, not at deploy.
#pragma once

#include <string>

#include "pipeline/project_env.h"
#include "pipeline/template_set.h"
#include "pipeline/workflow.h"

namespace pelato::pipeline {

Result<std::string> generateManifest(const Workflow& workflow, const ProjectSettings& settings,
                                     const TemplateSet& templates);

}  // namespace pelato::pipeline
