#include "host/http_link.h"

namespace pelato::host {

bool isHttpLink(const lattice::Link& link) {
  return link.witNamespace == kHttpNamespace && link.witPackage == kHttpPackage;
}

Result<HttpBinding> httpBinding(const lattice::Link& link, const NamedConfigs& configs) {
  if (!isHttpLink(link))
    return fail("not an HTTP link (wit_namespace \"{}\", wit_package \"{}\")", link.witNamespace, link.witPackage);
  auto settings = linkSettings(link, configs);
  HttpBinding binding{.componentId = link.sourceId, .path = settings["path"], .destination = settings["destination"]};
  if (binding.path.empty() || binding.path.front() != '/' || binding.path.find_first_of("?# ") != std::string::npos)
    return fail("HTTP link from {}: \"path=/some/path\" is required (absolute, no query), got \"{}\"", link.sourceId,
                binding.path);
  if (auto mode = settings.find("mode"); mode != settings.end()) {
    auto parsed = parseHttpMode(mode->second);
    if (!parsed) return fail(std::move(parsed.error()).context(fmt::format("HTTP link from {}", link.sourceId)));
    binding.mode = *parsed;
  }
  if (binding.destination.find_first_of("*> ") != std::string::npos)
    return fail("HTTP link from {}: destination \"{}\" must be a plain subject", link.sourceId, binding.destination);
  return binding;
}

}  // namespace pelato::host
