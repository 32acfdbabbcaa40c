// The HTTP link (the thesis's http_producer_nats): a link whose source is a component, with
// wit_namespace "wasi" and wit_package "http", routes POSTs on the host's HTTP server to the
// component. Settings (link_settings.h):
//   path=/temperature   the exact path (required)
//   mode=async|sync     async (default): 202 at once, the result goes to `destination`;
//                       sync: the response is the task's output
//   destination=out.x   where an async route's results are published (optional)
// Pure.
#pragma once

#include <string>

#include "common/result.h"
#include "host/http_provider.h"
#include "host/link_settings.h"
#include "lattice/messages.h"

namespace pelato::host {

inline constexpr std::string_view kHttpNamespace = "wasi";
inline constexpr std::string_view kHttpPackage = "http";

struct HttpBinding {
  std::string componentId;
  std::string path;
  HttpMode mode = HttpMode::Async;
  std::string destination;

  bool operator==(const HttpBinding&) const = default;
};

bool isHttpLink(const lattice::Link& link);

Result<HttpBinding> httpBinding(const lattice::Link& link, const NamedConfigs& configs = {});

}  // namespace pelato::host
