// How `pelato app …` shows applications to people: the list, one application's status, its
// versions, and manifests as YAML. Pure (the JSON forms are the messages' own toJson()).
#pragma once

#include <string>
#include <vector>

#include "lattice/wadm_api.h"

namespace pelato::cli {

// `pelato app list`: NAME, LATEST, DEPLOYED ("-" when not deployed), STATUS, DESCRIPTION;
// a hint to deploy one when there are none.
std::string formatApps(const std::vector<lattice::ModelSummary>& models, const std::string& lattice);

// `pelato app status NAME`: "NAME: status (message)", then a table of the components and one of
// the scalers, each with its status and message (a table is left out when empty).
std::string formatAppStatus(const std::string& name, const lattice::Status& status);

// `pelato app versions NAME`: VERSION, DEPLOYED ("yes" or empty), oldest first.
std::string formatVersions(const std::vector<lattice::VersionInfo>& versions);

// `pelato app deploy`: "deployed temperature v2 (3 versions stored)", or "stored ..., not
// deployed" when `deployed` is false.
std::string formatPutOutcome(const lattice::PutModelResponse& put, bool deployed);

// JSON as block-style YAML with a final newline. Strings YAML would read as something else
// ("1.0", "true", "null", "") are quoted, so the YAML reads back as the same JSON.
std::string jsonToYaml(const lattice::Json& json);

}  // namespace pelato::cli
