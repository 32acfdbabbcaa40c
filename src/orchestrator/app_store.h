// The applications the orchestrator keeps (pure; the orchestrator persists each StoredApp as
// one JSON value under the app's name in the KV bucket PELATO_APPS_<lattice>): every version of
// its manifest, oldest first, and which version is deployed. wadm's rules: a version is
// immutable once stored; a manifest without a `version` annotation gets one ("v1", "v2", …);
// deploying names a version or takes the newest.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "orchestrator/manifest.h"
#include "orchestrator/reconcile.h"

namespace pelato::orchestrator {

struct StoredVersion {
  std::string version;
  Manifest manifest;
  bool operator==(const StoredVersion&) const = default;
};

struct StoredApp {
  std::string name;
  std::vector<StoredVersion> versions;  // oldest first
  std::optional<std::string> deployed;  // the deployed version, if any
  Moves moves;                          // from `pelato migrate`, while deployed

  // "" and "latest" name the newest version; nullptr when there is no such version.
  const StoredVersion* find(std::string_view version) const;
  const StoredVersion* deployedVersion() const { return deployed ? find(*deployed) : nullptr; }

  nlohmann::json toJson() const;
  static Result<StoredApp> fromJson(std::string_view text);
  bool operator==(const StoredApp&) const = default;
};

enum class PutOutcome { Created, NewVersion, Unchanged };

// Adds `manifest` as the app's newest version (stamping a version on it if it has none).
// Storing the same content under an existing version changes nothing; other content under an
// existing version is refused with what to do.
Result<PutOutcome> putVersion(StoredApp& app, Manifest manifest);

// Removes one version (nullopt: every version, i.e. the app). Returns whether the deployed
// version went with it (the caller then undeploys). A missing version is an error.
Result<bool> deleteVersions(StoredApp& app, const std::optional<std::string>& version);

}  // namespace pelato::orchestrator
