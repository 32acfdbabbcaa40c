// The web page's files built into the pelato binary: web/dashboard/* and the preact, htm and
// uPlot modules from node_modules, generated at build time by cmake/embed_files.cmake.
#pragma once

#include <string>
#include <vector>

namespace pelato::dashboard {

struct EmbeddedFile {
  std::string name;  // the path it is served at, without the leading '/': "app.js", "vendor/preact.mjs"
  std::string text;
};

std::vector<EmbeddedFile> builtinAssets();

}  // namespace pelato::dashboard
