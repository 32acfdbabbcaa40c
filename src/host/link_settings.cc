#include "host/link_settings.h"

namespace pelato::host {
std::string trimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

namespace {

void read(const std::vector<std::string>& entries, const NamedConfigs& configs,
          std::map<std::string, std::string>& out) {
  for (std::string_view entry : entries) {
    auto eq = entry.find('=');
    if (eq != std::string_view::npos) {
      out[trimBlanks(entry.substr(0, eq))] = trimBlanks(entry.substr(eq + 1));
    } else if (auto named = configs.find(trimBlanks(entry)); named != configs.end()) {
      for (const auto& [key, value] : named->second) out[key] = value;
    }
  }
}

}  // namespace

std::map<std::string, std::string> linkSettings(const lattice::Link& link, const NamedConfigs& configs) {
  std::map<std::string, std::string> settings;
  read(link.sourceConfig, configs, settings);
  read(link.targetConfig, configs, settings);
  return settings;
}

}  // namespace pelato::host
