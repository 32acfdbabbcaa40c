// What a task's templates see (templates/README.md, "Variables"): the workflow's values for the
// task, its image, its targets with their spread weights, its route path and its type's glue
// flags. Pure.
#pragma once

#include "pipeline/project_env.h"
#include "pipeline/render.h"
#include "pipeline/template_set.h"
#include "pipeline/workflow.h"

namespace pelato::pipeline {

// `project_name` as an application name: a NATS subject token and KV key.
std::string applicationName(const Workflow& workflow);

// REGISTRY_URL/<component_name>:<version>.
std::string imageRef(const Task& task, const ProjectSettings& settings);

TemplateVariables taskVariables(const Workflow& workflow, const Task& task, const ProjectSettings& settings,
                                const TaskTemplate& type);

}  // namespace pelato::pipeline
