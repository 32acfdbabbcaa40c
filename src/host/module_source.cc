#include "host/module_source.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "oci/image_ref.h"

namespace pelato::host {
namespace {

constexpr std::string_view kFileScheme = "file://";

oci::Credentials credentialsFor(const oci::ImageRef& ref, const lattice::RegistryCredentials& known) {
  auto it = known.find(ref.registry);
  if (it == known.end()) return oci::Credentials::fromEnvironment();
  // A bearer token is presented as the password, as registries accept for basic auth with tokens.
  return {.username = it->second.username.value_or(""),
          .password = it->second.password ? *it->second.password : it->second.token.value_or("")};
}

}  // namespace

Result<runtime::Module> fetchModule(std::string_view ref, oci::Registry& registry,
                                    const lattice::RegistryCredentials& credentials) {
  std::string path;
  if (ref.starts_with(kFileScheme)) {
    path = std::string(ref.substr(kFileScheme.size()));
    if (::access(path.c_str(), R_OK) != 0) return fail("cannot read {}: {}", path, std::strerror(errno));
  } else {
    auto image = oci::parseImageRef(ref);
    if (!image)
      return fail(std::move(image.error()).context(fmt::format("\"{}\" is neither file:///path nor an image ref", ref)));
    auto pulled = registry.pullToCache(*image, credentialsFor(*image, credentials));
    if (!pulled) return fail(std::move(pulled.error()).context(fmt::format("pulling {}", ref)));
    path = pulled->path.string();
  }
  auto module = runtime::Module::loadFile(path);
  if (!module) return fail(std::move(module.error()).context("invalid module"));
  return module;
}

}  // namespace pelato::host
