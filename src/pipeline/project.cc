#include "pipeline/project.h"

namespace pelato::pipeline {

Result<Project> loadProject(const std::filesystem::path& dir, const Environment& environment, unsigned cores) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail("{} is not a project folder (create one with `pelato new {}`)", dir.string(), dir.string());
  auto templates = loadTemplates(dir);
  if (!templates) return fail(std::move(templates.error()));
  auto workflow = loadWorkflow(dir, templates->types());
  if (!workflow) return fail(std::move(workflow.error()));
  auto settings = loadProjectSettings(dir, environment, cores);
  if (!settings) return fail(std::move(settings.error()));
  return Project{.dir = dir, .templates = std::move(*templates), .workflow = std::move(*workflow),
                 .settings = std::move(*settings)};
}

}  // namespace pelato::pipeline
