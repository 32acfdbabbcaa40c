#include "pipeline/codegen.h"

#include <cstring>
#include <fstream>

#include "common/file.h"
#include "pipeline/task_variables.h"
#include "pipeline/wadm_gen.h"

namespace pelato::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTemplateSuffix = ".mustache";

Result<void> writeText(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return fail("creating {}: {}", path.parent_path().string(), ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return fail("writing {}: {} (is the disk full?)", path.string(), std::strerror(errno));
  return {};
}

// One task's folder: glue files (rendered or copied), then the user's code.
Result<void> generateTask(const Project& project, const Task& task, const fs::path& dir) {
  const auto& type = project.templates.tasks.at(task.type);
  auto glue = project.templates.languages.find(task.lang);
  if (glue == project.templates.languages.end())
    return fail("task {}: no glue templates for language {} (templates/languages/{}/)", task.componentName,
                languageName(task.lang), languageName(task.lang));
  TemplateVariables variables = taskVariables(project.workflow, task, project.settings, type);
  for (const auto& file : glue->second) {
    std::string_view name = file.name;
    if (name.ends_with(kTemplateSuffix) ? name.substr(0, name.size() - kTemplateSuffix.size()) == task.code
                                        : name == task.code)
      return fail("task {}: tasks/{} has the name of a file pelato generates next to it for {} tasks; rename it",
                  task.componentName, task.code, languageName(task.lang));
    if (!name.ends_with(kTemplateSuffix)) {
      if (auto ok = writeText(dir / name, file.text); !ok) return ok;
      continue;
    }
    name.remove_suffix(kTemplateSuffix.size());
    auto text = renderTemplate(file.text, variables,
                               fmt::format("templates/languages/{}/{}", languageName(task.lang), file.name));
    if (!text) return fail(std::move(text.error()));
    if (auto ok = writeText(dir / name, *text); !ok) return ok;
  }
  std::error_code ec;
  fs::path copy = dir / task.code;
  fs::create_directories(copy.parent_path(), ec);
  fs::copy_file(project.dir / kTasksDirName / task.code, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) return fail("copying tasks/{} into {}: {}", task.code, dir.string(), ec.message());
  return {};
}

}  // namespace

Result<GenOutput> generate(const Project& project) {
  auto manifest = generateManifest(project.workflow, project.settings, project.templates);
  if (!manifest) return fail(std::move(manifest.error()));

  fs::path target = project.genDir();
  fs::path fresh = project.dir / fmt::format(".{}.new", kGenDirName);
  std::error_code ec;
  fs::remove_all(fresh, ec);
  GenOutput out;
  for (const auto& task : project.workflow.tasks) {
    if (auto ok = generateTask(project, task, fresh / task.componentName); !ok) {
      fs::remove_all(fresh, ec);
      return fail(std::move(ok.error()));
    }
    out.tasks.push_back({.task = task, .dir = target / task.componentName,
                         .source = project.dir / kTasksDirName / task.code,
                         .copy = target / task.componentName / task.code});
  }
  if (auto ok = writeText(fresh / "wadm.yaml", *manifest); !ok) {
    fs::remove_all(fresh, ec);
    return fail(std::move(ok.error()));
  }
  // Swap: the old gen/ goes only once the new one is complete.
  fs::path old = project.dir / fmt::format(".{}.old", kGenDirName);
  fs::remove_all(old, ec);
  if (fs::exists(target)) fs::rename(target, old, ec);
  if (ec) return fail("replacing {}: {}", target.string(), ec.message());
  fs::rename(fresh, target, ec);
  if (ec) return fail("replacing {}: {}", target.string(), ec.message());
  fs::remove_all(old, ec);
  out.manifest = project.manifestPath();
  return out;
}

}  // namespace pelato::pipeline
