// The user's signing (account) key: where it lives by default and how it is made on first use.
// `pelato build|brush` sign with it; `pelato up` starts hosts that trust it.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.h"
#include "security/nkeys.h"

namespace pelato::security {

// $XDG_CONFIG_HOME/pelato/issuer.nk, else $HOME/.config/pelato/issuer.nk (pure).
std::filesystem::path defaultIssuerKeyPath(std::string_view xdgConfigHome, std::string_view home);

struct AccountKey {
  KeyPair pair;
  bool created = false;  // made just now (tell the user where it is)
};

// Reads the account seed at `path`, or makes one there (mode 0600, directories included).
Result<AccountKey> loadOrCreateAccountKey(const std::filesystem::path& path);

}  // namespace pelato::security
