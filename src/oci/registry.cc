#include "oci/registry.h"

#include <cstdlib>

#include "common/file.h"
#include "oci/digest.h"

namespace pelato::oci {
namespace {

namespace fs = std::filesystem;

std::string_view textOf(const std::vector<uint8_t>& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
std::span<const uint8_t> bytesOf(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class CachingRegistry final : public Registry {
 public:
  CachingRegistry(RegistryOptions options, fs::path dir) : options_(std::move(options)), dir_(std::move(dir)) {}

  Result<PulledModule> pullToCache(const ImageRef& ref, const Credentials& credentials) override {
    if (ref.digest) {
      if (auto cached = cachedByManifestDigest(*ref.digest)) return *cached;
    }
    RegistryOptions options = options_;
    options.credentials = credentials;
    auto client = RegistryClient::create(std::move(options));  // per call: clients are per thread
    if (!client) return fail(std::move(client.error()));
    auto manifest = client->fetchManifest(ref);
    if (!manifest) return fail(std::move(manifest.error()));
    auto layer = wasmLayer(manifest->manifest);
    if (!layer) return fail(std::move(layer.error()).context(ref.toString()));
    if (auto stored = store(manifestPath(manifest->digest), bytesOf(manifest->json)); !stored) return fail(std::move(stored.error()));
    PulledModule pulled{.path = blobPath(layer->digest), .manifestDigest = manifest->digest, .layerDigest = layer->digest};
    if (verified(pulled.path, layer->digest)) {
      pulled.fromCache = true;
      return pulled;
    }
    auto module = client->fetchBlob(ref, *layer);
    if (!module) return fail(std::move(module.error()));
    if (auto stored = store(pulled.path, *module); !stored) return fail(std::move(stored.error()));
    return pulled;
  }

 private:
  fs::path blobPath(const std::string& digest) const { return dir_ / "blobs" / "sha256" / std::string(digestHex(digest)); }
  fs::path manifestPath(const std::string& digest) const {
    return dir_ / "manifests" / "sha256" / std::string(digestHex(digest));
  }

  // A cache entry is trusted only if it still hashes to its name: a corrupt one is removed.
  static bool verified(const fs::path& path, const std::string& digest) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return false;
    auto bytes = readFile(path);
    if (bytes && digestOf(*bytes) == digest) return true;
    fs::remove(path, ec);
    return false;
  }

  std::optional<PulledModule> cachedByManifestDigest(const std::string& digest) const {
    auto path = manifestPath(digest);
    if (!verified(path, digest)) return std::nullopt;
    auto bytes = readFile(path);
    if (!bytes) return std::nullopt;
    auto manifest = parseManifest(textOf(*bytes));
    if (!manifest) return std::nullopt;
    auto layer = wasmLayer(*manifest);
    if (!layer || !verified(blobPath(layer->digest), layer->digest)) return std::nullopt;
    return PulledModule{.path = blobPath(layer->digest), .manifestDigest = digest, .layerDigest = layer->digest,
                        .fromCache = true};
  }

  static Result<void> store(const fs::path& path, std::span<const uint8_t> bytes) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return fail("cannot create the OCI cache directory {}: {}; set PELATO_CACHE_DIR to a writable directory",
                        path.parent_path().string(), ec.message());
    if (auto written = writeFileAtomic(path, bytes); !written)
      return fail(std::move(written.error()).context("writing the OCI cache"));
    return {};
  }

  RegistryOptions options_;
  fs::path dir_;
};

}  // namespace

fs::path defaultOciCacheDir() {
  fs::path root;
  if (const char* dir = std::getenv("PELATO_CACHE_DIR"); dir && *dir) root = dir;
  else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) root = fs::path(xdg) / "pelato";
  else if (const char* home = std::getenv("HOME"); home && *home) root = fs::path(home) / ".cache" / "pelato";
  else root = fs::temp_directory_path() / "pelato-cache";
  return root / "oci";
}

std::unique_ptr<Registry> makeRegistry(RegistryOptions options, fs::path cacheDir) {
  return std::make_unique<CachingRegistry>(std::move(options), std::move(cacheDir));
}

}  // namespace pelato::oci
