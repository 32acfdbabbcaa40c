// Where a component's module comes from: `file:///absolute/path.wasm`, or an image ref
// (`registry/repository:tag`, `…@sha256:…`) pulled through the OCI registry client into the
// local cache with the credentials registry.put gave for that registry, else
// REGISTRY_USER/REGISTRY_PASSWORD. Errors start with what failed: "cannot read <path>",
// "pulling <ref>", "invalid module".
#pragma once

#include <string_view>

#include "common/result.h"
#include "lattice/messages.h"
#include "oci/registry.h"
#include "runtime/module.h"

namespace pelato::host {

Result<runtime::Module> fetchModule(std::string_view ref, oci::Registry& registry,
                                    const lattice::RegistryCredentials& credentials);

}  // namespace pelato::host
