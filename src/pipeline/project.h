// A PELATO project as every pipeline stage sees it: its folder, templates (built-in plus its
// own templates/), workflow.yaml (validated against those templates' types) and settings
// (.env under the environment).
#pragma once

#include <filesystem>

#include "common/result.h"
#include "pipeline/project_env.h"
#include "pipeline/template_set.h"
#include "pipeline/workflow.h"

namespace pelato::pipeline {

// Generated files go to DIR/gen; pelato's own state (build cache, component keys) to DIR/.pelato.
inline constexpr std::string_view kGenDirName = "gen";
inline constexpr std::string_view kStateDirName = ".pelato";

struct Project {
  std::filesystem::path dir;
  TemplateSet templates;
  Workflow workflow;
  ProjectSettings settings;

  std::filesystem::path genDir() const { return dir / kGenDirName; }
  std::filesystem::path stateDir() const { return dir / kStateDirName; }
  std::filesystem::path manifestPath() const { return genDir() / "wadm.yaml"; }
};

// `cores` bounds PARALLEL_BUILD. A folder without workflow.yaml is refused with a hint at
// `pelato new` (loadWorkflow).
Result<Project> loadProject(const std::filesystem::path& dir, const Environment& environment, unsigned cores);

}  // namespace pelato::pipeline
