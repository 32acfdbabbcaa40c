// Seed files: one encoded nkeys seed ("SA…"/"SM…") and a newline, readable by the owner only,
// the form `pelato keys gen -o` writes and `pelato sign --issuer/--subject` read.
#pragma once

#include <filesystem>
#include <optional>

#include "common/result.h"
#include "security/nkeys.h"

namespace pelato::security {

// With `expected`, the seed must be of that type ("… holds a component seed (SM…); --issuer
// needs an account seed (SA…)").
Result<KeyPair> readSeedFile(const std::filesystem::path& path, std::optional<KeyType> expected = std::nullopt);

// Creates `path` with mode 0600; refuses to replace an existing file (that would lose a key).
Result<void> writeSeedFile(const std::filesystem::path& path, const KeyPair& pair);

}  // namespace pelato::security
