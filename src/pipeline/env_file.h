// `.env` files: KEY=VALUE lines as shells and docker compose write them, so a project's settings
// can be kept beside it (the thesis reads one at every run).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::pipeline {

struct EnvEntry {
  std::string key;
  std::string value;
  int line = 0;  // 1-based, for messages about the value
  bool operator==(const EnvEntry&) const = default;
};

// Accepts: blank lines, `# comments`, `KEY=VALUE` with an optional `export ` prefix, spaces
// around the key and `=`, values unquoted (trimmed; ` #` starts a comment), 'single-quoted'
// (literal) or "double-quoted" (\n \t \" \\ \$ escapes). Keys are [A-Za-z_][A-Za-z0-9_]*.
// Entries come back in file order (a later duplicate wins where they are used). Errors name
// `fileName:line`.
Result<std::vector<EnvEntry>> parseEnvFile(std::string_view text, std::string_view fileName);

}  // namespace pelato::pipeline
