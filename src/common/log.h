// Logging setup: spdlog to stderr, level from --log-level or PELATO_LOG, format from
// --log-format or PELATO_LOG_FORMAT: `text` for people, `json` (one object per line: time,
// level, thread, msg) for log collectors.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace pelato {

enum class LogFormat { Text, Json };

// Accepts trace|debug|info|warn|error|off; unknown names fall back to info.
void setupLogging(std::string_view level, LogFormat format = LogFormat::Text);

// The formatter behind LogFormat::Json:
// {"time":"2026-11-29T21:00:00.123456Z","level":"warn","thread":1234,"msg":"..."}
std::unique_ptr<spdlog::formatter> jsonLogFormatter();

}  // namespace pelato
