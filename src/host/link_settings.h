// The settings of a link: its source_config then target_config entries, in order, each either
// an inline "key=value" or the name of a config stored with config.put (whose values are all
// merged in; an unknown name adds nothing). Later entries override earlier ones. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lattice/messages.h"

namespace pelato::host {

// KV key of a named config in LATTICEDATA_<lattice>: CONFIG_<name>, value its JSON object.
inline constexpr std::string_view kConfigKvPrefix = "CONFIG_";
inline std::string configKvKey(std::string_view name) { return std::string(kConfigKvPrefix) + std::string(name); }

// KV key of a signed component's claims: CLAIMS_<component public key>, value a string map.
inline constexpr std::string_view kClaimsKvPrefix = "CLAIMS_";

// Named configs (config.put.<name>) by name.
using NamedConfigs = std::map<std::string, lattice::StringMap, std::less<>>;

std::map<std::string, std::string> linkSettings(const lattice::Link& link, const NamedConfigs& configs = {});

// `s` without leading and trailing spaces and tabs.
std::string trimBlanks(std::string_view s);

}  // namespace pelato::host
