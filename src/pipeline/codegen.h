// `pelato gen`: DIR/gen/<component_name>/ per task (the language's glue rendered from
// templates/languages/<lang>/ plus the user's code file, copied as the thesis does) and
// DIR/gen/wadm.yaml. Everything is written to a fresh folder first and swapped in at the end,
// so a failed gen leaves the previous gen/ as it was.
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.h"
#include "pipeline/project.h"

namespace pelato::pipeline {

struct GeneratedTask {
  Task task;
  std::filesystem::path dir;     // DIR/gen/<component_name>
  std::filesystem::path source;  // the user's file, DIR/tasks/<code>
  std::filesystem::path copy;    // its copy, DIR/gen/<component_name>/<code>
};

struct GenOutput {
  std::vector<GeneratedTask> tasks;  // in workflow order
  std::filesystem::path manifest;    // DIR/gen/wadm.yaml
};

Result<GenOutput> generate(const Project& project);

}  // namespace pelato::pipeline
