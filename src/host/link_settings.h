// The inline settings of a link: its source_config and target_config entries of the form
// "key=value" (named configs, without "=", are skipped until config.put is implemented), with
// target_config entries overriding source_config ones. Pure.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lattice/messages.h"

namespace pelato::host {

std::map<std::string, std::string> linkSettings(const lattice::Link& link);

// `s` without leading and trailing spaces and tabs.
std::string trimBlanks(std::string_view s);

}  // namespace pelato::host
