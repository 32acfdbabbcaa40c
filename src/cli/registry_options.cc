#include "cli/registry_options.h"

namespace pelato::cli {

void addRegistryFlags(CLI::App* cmd, RegistryFlags& flags) {
  cmd->add_flag("--insecure", flags.insecure,
                "Plain HTTP, for a registry without TLS (localhost and 127.0.0.1 use it anyway)");
  cmd->add_option("--user", flags.user, "Registry username")->envname("REGISTRY_USER");
  cmd->add_option("--password", flags.password, "Registry password or token")->envname("REGISTRY_PASSWORD");
}

oci::RegistryOptions registryOptions(const RegistryFlags& flags) {
  return oci::RegistryOptions{.credentials = {.username = flags.user, .password = flags.password},
                              .insecure = flags.insecure};
}

}  // namespace pelato::cli
