// Logging setup: spdlog to stderr, level from --log-level or PELATO_LOG.
#pragma once

#include <string_view>

#include <spdlog/spdlog.h>

namespace pelato {

// Accepts trace|debug|info|warn|error|off; unknown names fall back to info.
void setupLogging(std::string_view level);

}  // namespace pelato
