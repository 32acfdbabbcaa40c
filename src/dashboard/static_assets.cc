#include "dashboard/static_assets.h"

#include <array>
#include <utility>

namespace pelato::dashboard {

std::string_view contentTypeFor(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes)
    if (name.ends_with(extension)) return type;
  return "application/octet-stream";
}

StaticAssets::StaticAssets(const std::vector<EmbeddedFile>& files) {
  for (const auto& file : files) {
    StaticAsset asset{.contentType = std::string(contentTypeFor(file.name)), .body = file.text};
    if (file.name == "index.html") byPath_["/"] = asset;
    byPath_["/" + file.name] = std::move(asset);
  }
}

const StaticAsset* StaticAssets::find(std::string_view path) const {
  auto it = byPath_.find(path);
  return it == byPath_.end() ? nullptr : &it->second;
}

}  // namespace pelato::dashboard
