// Pushes built tasks to REGISTRY_URL as OCI wasm artifacts (REGISTRY_URL/<component>:<version>),
// with REGISTRY_USER/REGISTRY_PASSWORD. Blobs the registry has are not uploaded again, and an
// unchanged module yields the same manifest digest (its creation time is the module file's), so
// a no-op brush changes nothing on the registry.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "oci/registry_client.h"
#include "pipeline/builder.h"

namespace pelato::pipeline {

struct PushedTask {
  std::string component;
  std::string image;
  std::string manifestDigest;
  int blobsUploaded = 0;
};

// Fails on the first push that fails, naming the image and what the registry said.
Result<std::vector<PushedTask>> pushAll(const Project& project, const std::vector<BuiltTask>& built,
                                        const oci::RegistryOptions& registry);

// REGISTRY_URL is set and forms valid image refs, and the registry answers and accepts the
// credentials: checked before anything is built, so a bad registry fails fast.
Result<void> checkRegistry(const Project& project, const oci::RegistryOptions& registry);

}  // namespace pelato::pipeline
