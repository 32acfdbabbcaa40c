// The page's static files by URL path, each with its Content-Type: "/" is index.html. Built
// once from the embedded files (embedded_assets.h), or from any list in tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dashboard/embedded_assets.h"

namespace pelato::dashboard {

// The Content-Type of a file by its extension (.html, .js, .mjs, .css, .json, .svg, .map);
// application/octet-stream for anything else.
std::string_view contentTypeFor(std::string_view name);

struct StaticAsset {
  std::string contentType;
  std::string body;
};

class StaticAssets {
 public:
  explicit StaticAssets(const std::vector<EmbeddedFile>& files);

  // The file served at `path` ("/", "/app.js", "/vendor/uPlot.esm.js"), if any.
  const StaticAsset* find(std::string_view path) const;

 private:
  std::map<std::string, StaticAsset, std::less<>> byPath_;
};

}  // namespace pelato::dashboard
