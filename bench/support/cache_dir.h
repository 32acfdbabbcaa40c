// The AOT cache a benchmark uses: $PELATO_CACHE_DIR if set, else a fresh temporary directory
// (so that compile times are real compiles), removed when the benchmark ends.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>

#include "common/file.h"

namespace pelato::bench {

struct CacheDir {
  std::filesystem::path path;
  bool temporary = false;
  std::optional<TempDir> owned;

  explicit CacheDir(std::string_view prefix) {
    if (const char* env = std::getenv("PELATO_CACHE_DIR"); env && *env) {
      path = env;
      return;
    }
    auto dir = TempDir::create(prefix);
    if (!dir) {
      std::fprintf(stderr, "cannot create a temporary AOT cache directory: %s\n", dir.error().message().c_str());
      std::abort();
    }
    owned.emplace(std::move(*dir));
    path = owned->path();
    temporary = true;
  }

  // The compiled artifacts in the cache.
  std::set<std::filesystem::path> artifacts() const {
    std::set<std::filesystem::path> out;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(path / "aot", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      if (it->path().extension() == ".so") out.insert(it->path());
    return out;
  }
};

}  // namespace pelato::bench
