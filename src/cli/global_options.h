// The options every pelato executable takes before its command (`pelato`, `pelato-host`):
// --log-level, --log-format, --version.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace pelato::cli {

struct GlobalOptions {
  std::string logLevel = "warn";
  std::string logFormat = "text";

  // `program` names the executable in --version.
  void addTo(CLI::App& app, std::string_view program);
  // Once parsed: sets up logging as asked.
  void apply() const;
};

}  // namespace pelato::cli
