// `pelato new DIR [--lang L]`: a ready project — workflow.yaml with one http_producer_nats task
// (POST → greet → NATS subject `greetings`, on edge hosts), .env with the thesis's settings and
// their defaults, tasks/greet.<ext> in the chosen language, .gitignore for gen/ and .pelato/.
// Refuses a folder that exists and is not empty (nothing of the user's is overwritten).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "pipeline/language.h"

namespace pelato::pipeline {

struct SkeletonFile {
  std::string path;  // relative to the project folder
  std::string text;
};

// The files, pure; the project is named after the folder.
std::vector<SkeletonFile> skeletonFiles(const std::string& projectName, Language lang);

Result<std::vector<SkeletonFile>> createProject(const std::filesystem::path& dir, Language lang);

}  // namespace pelato::pipeline
