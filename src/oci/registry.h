// The seam hosts pull modules through: an image ref in, a verified module file on disk out.
// Tests substitute it; `makeRegistry` gives the real one (RegistryClient + a cache on disk).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"
#include "oci/image_ref.h"
#include "oci/registry_client.h"

namespace pelato::oci {

struct PulledModule {
  std::filesystem::path path;  // the cached module; read it, never write to it
  std::string manifestDigest;  // what the ref resolved to (pin it: ref@digest)
  std::string layerDigest;     // the module's own digest
  bool fromCache = false;      // no blob was downloaded
};

class Registry {
 public:
  virtual ~Registry() = default;
  // Resolves `ref` and returns its module from the local cache, downloading (and verifying) what
  // is missing. A tag is always resolved by the registry (tags move); a ref pinned by digest
  // whose manifest and module are cached needs no network at all. Safe to call from several
  // threads at once.
  virtual Result<PulledModule> pullToCache(const ImageRef& ref, const Credentials& credentials) = 0;
};

// $PELATO_CACHE_DIR/oci, else $XDG_CACHE_HOME/pelato/oci, else ~/.cache/pelato/oci: the same
// root as the AOT cache (runtime::aot::defaultCacheDir, which oci may not depend on).
std::filesystem::path defaultOciCacheDir();

// `options.credentials` is ignored: each pull passes its own. Cache layout under `cacheDir`:
// blobs/sha256/<hex> (modules) and manifests/sha256/<hex> (manifests by digest), written
// atomically, re-verified against their digest when read.
std::unique_ptr<Registry> makeRegistry(RegistryOptions options, std::filesystem::path cacheDir = defaultOciCacheDir());

}  // namespace pelato::oci
