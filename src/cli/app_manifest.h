// What `pelato app deploy FILE` sends: the manifest read and validated on the user's side, so
// mistakes come back with the file name and field path before anything goes on the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "orchestrator/manifest.h"

namespace pelato::cli {

// Parses `text` (YAML or JSON, read from `file`, which names it in errors). With `version`,
// the manifest's `version` annotation is set to it (replacing one the file gives).
Result<orchestrator::Manifest> prepareManifest(std::string_view text, std::string_view file,
                                               const std::optional<std::string>& version);

}  // namespace pelato::cli
