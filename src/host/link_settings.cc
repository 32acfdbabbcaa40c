#include "host/link_settings.h"

namespace pelato::host {
std::string trimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

namespace {

void readInline(const std::vector<std::string>& entries, std::map<std::string, std::string>& out) {
  for (std::string_view entry : entries) {
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out[trimBlanks(entry.substr(0, eq))] = trimBlanks(entry.substr(eq + 1));
  }
}

}  // namespace

std::map<std::string, std::string> linkSettings(const lattice::Link& link) {
  std::map<std::string, std::string> settings;
  readInline(link.sourceConfig, settings);
  readInline(link.targetConfig, settings);
  return settings;
}

}  // namespace pelato::host
