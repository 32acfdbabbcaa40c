// `-o text|json` for commands that print lattice data, and the JSON they print.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "lattice/json_reader.h"

namespace pelato::cli {

struct OutputOptions {
  std::string format = "text";

  void addTo(CLI::App& command) {
    command.add_option("-o,--output", format, "text (for people) or json (for scripts)")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
  }
  bool json() const { return format == "json"; }
};

// Indented JSON with a final newline; invalid UTF-8 becomes U+FFFD instead of throwing.
inline std::string prettyJson(const lattice::Json& value) {
  return value.dump(2, ' ', false, lattice::Json::error_handler_t::replace) + "\n";
}

}  // namespace pelato::cli
