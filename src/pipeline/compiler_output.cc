#include "pipeline/compiler_output.h"

#include <cctype>

namespace pelato::pipeline {
namespace {

bool partOfName(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/';
}

std::string replaceAll(std::string_view text, std::string_view from, std::string_view to, bool asFileName) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos || from.empty()) break;
    size_t end = hit + from.size();
    bool standsAlone = !asFileName || ((hit == 0 || !partOfName(text[hit - 1])) &&
                                       (end < text.size() && (text[end] == ':' || text[end] == '(')));
    out.append(text.substr(pos, hit - pos));
    out.append(standsAlone ? to : from);
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

std::string mapCompilerOutput(std::string_view text, std::string_view genDir, std::string_view taskFile,
                              std::string_view userPath) {
  std::string dir(genDir);
  if (!dir.empty() && dir.back() != '/') dir += '/';
  std::string absolute = replaceAll(text, dir + std::string(taskFile), userPath, false);
  std::string local = replaceAll(absolute, "./" + std::string(taskFile), userPath, true);
  return replaceAll(local, taskFile, userPath, true);
}

}  // namespace pelato::pipeline
