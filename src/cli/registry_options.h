// Flags shared by the commands that talk to OCI registries (push, pull, inspect REF).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "oci/registry_client.h"

namespace pelato::cli {

struct RegistryFlags {
  bool insecure = false;
  std::string user;
  std::string password;
};

// --insecure, --user (REGISTRY_USER), --password (REGISTRY_PASSWORD).
void addRegistryFlags(CLI::App* cmd, RegistryFlags& flags);

oci::RegistryOptions registryOptions(const RegistryFlags& flags);

}  // namespace pelato::cli
