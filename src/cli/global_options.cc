#include "cli/global_options.h"

#include <fmt/format.h>

#include "common/log.h"
#include "common/version.h"

namespace pelato::cli {

void GlobalOptions::addTo(CLI::App& app, std::string_view program) {
  app.add_option("--log-level", logLevel, "trace|debug|info|warn|error")->envname("PELATO_LOG");
  app.add_option("--log-format", logFormat, "text|json (one JSON object per line)")
      ->envname("PELATO_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  app.set_version_flag("--version", fmt::format("{} {}", program, kVersion));
}

void GlobalOptions::apply() const { setupLogging(logLevel, logFormat == "json" ? LogFormat::Json : LogFormat::Text); }

}  // namespace pelato::cli
