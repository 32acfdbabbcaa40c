// Test helper: a copy of an example project in a temporary folder (pipeline stages write gen/
// and .pelato/ into the project, never into the source tree).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/file.h"
#include "pipeline/project.h"

namespace pelato::pipeline::test_project {

struct ProjectCopy {
  TempDir tmp;
  std::filesystem::path dir;
};

inline ProjectCopy copyProject(const std::string& sourceRelative) {
  auto tmp = TempDir::create("pipeline");
  EXPECT_TRUE(tmp) << tmp.error().message();
  std::filesystem::path dir = tmp->path() / "project";
  std::filesystem::copy(std::filesystem::path(PELATO_SOURCE_DIR) / sourceRelative, dir,
                        std::filesystem::copy_options::recursive);
  return {std::move(*tmp), dir};
}

inline Project loaded(const std::filesystem::path& dir, Environment env = {}) {
  env.emplace("REGISTRY_URL", "127.0.0.1:5000/test");
  auto project = loadProject(dir, env, 2);
  EXPECT_TRUE(project) << project.error().message();
  return std::move(*project);
}

}  // namespace pelato::pipeline::test_project
