#include "cli/app_manifest.h"

namespace pelato::cli {

Result<orchestrator::Manifest> prepareManifest(std::string_view text, std::string_view file,
                                               const std::optional<std::string>& version) {
  auto manifest = orchestrator::parseManifest(text);
  if (!manifest) return fail(std::move(manifest.error()).context(file));
  if (version) {
    if (version->empty()) return fail("--version is empty; give a version such as v2");
    manifest->annotations["version"] = *version;
  }
  return manifest;
}

}  // namespace pelato::cli
