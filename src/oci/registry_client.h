// The OCI distribution client: pushes and pulls wasm artifacts to and from any OCI registry
// (docker-registry, ghcr.io, Harbor, zot…) over HTTP(S), with basic auth and the bearer-token
// flow. One client per thread: it owns one libcurl handle and its authorisation state.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "oci/http_client.h"
#include "oci/image_ref.h"
#include "oci/manifest.h"
#include "oci/wasm_config.h"

namespace pelato::oci {

struct Credentials {
  std::string username;
  std::string password;

  bool empty() const { return username.empty() && password.empty(); }
  // REGISTRY_USER / REGISTRY_PASSWORD (the variables of a PELATO project's .env).
  static Credentials fromEnvironment();
};

struct RegistryOptions {
  Credentials credentials;
  // Plain HTTP for every registry; loopback registries (localhost, 127.x, [::1]) use it anyway.
  bool insecure = false;
  // Blobs up to this size go in one PUT; bigger ones in PATCH chunks of chunkSize.
  uint64_t chunkThreshold = 8 << 20;
  uint64_t chunkSize = 4 << 20;
  // Largest blob pulled; a manifest announcing a bigger layer is refused before downloading.
  uint64_t maxBlobBytes = 256 << 20;
  HttpClientOptions http;
};

// What `pushWasm` puts in the registry, beyond the module itself.
struct WasmPushRequest {
  std::span<const uint8_t> module;
  std::string title;    // org.opencontainers.image.title on the layer (the file name)
  std::string created;  // RFC 3339; empty: now
  Annotations annotations;  // on the manifest
};

struct PushResult {
  std::string manifestDigest;
  Descriptor config;
  Descriptor layer;
  int blobsUploaded = 0;
  int blobsSkipped = 0;  // already in the registry (HEAD said so)
};

struct RemoteManifest {
  std::string digest;  // sha256 of the exact bytes received
  std::string json;
  Manifest manifest;
};

struct PulledWasm {
  RemoteManifest manifest;
  Descriptor layer;
  std::optional<WasmConfig> config;  // when the config blob is a wasm config
  std::vector<uint8_t> module;       // verified against the layer's digest and size
};

class RegistryClient {
 public:
  static Result<RegistryClient> create(RegistryOptions options);

  // Config + module blobs (skipping those the registry has), then the manifest under ref's tag.
  Result<PushResult> pushWasm(const ImageRef& ref, const WasmPushRequest& request);

  // The manifest for ref's tag or digest; a pinned digest is checked against the bytes.
  Result<RemoteManifest> fetchManifest(const ImageRef& ref);
  // A blob, refused if it is bigger than the descriptor or maxBlobBytes says, or if its sha256
  // does not match the descriptor's digest.
  Result<std::vector<uint8_t>> fetchBlob(const ImageRef& ref, const Descriptor& blob);
  // Manifest, wasm config (if it is one) and the module layer, all verified.
  Result<PulledWasm> pullWasm(const ImageRef& ref);
  // Whether ref's registry answers and lets these credentials read ref's repository (a
  // repository that does not exist yet is fine): a cheap check before long work that ends in a push.
  Result<void> checkAccess(const ImageRef& ref);
  // Manifest and config only (`pelato inspect REF`).
  Result<PulledWasm> inspectWasm(const ImageRef& ref);

 private:
  RegistryClient(RegistryOptions options, HttpClient http) : options_(std::move(options)), http_(std::move(http)) {}

  std::string baseUrl(const ImageRef& ref) const;  // scheme://registry/v2/repository
  // Sends with whatever authorisation the registry asked for; answers a 401 once by logging in.
  Result<HttpResponse> send(const ImageRef& ref, HttpRequest request, std::string_view actions);
  Result<std::string> authorize(const ImageRef& ref, const HttpResponse& challenged, std::string_view actions,
                                bool hadAuthorization);
  Result<bool> blobExists(const ImageRef& ref, const Descriptor& blob);
  Result<void> uploadBlob(const ImageRef& ref, const Descriptor& blob, std::span<const uint8_t> data);
  Result<std::string> resolveLocation(const ImageRef& ref, const HttpResponse& response) const;
  Result<PulledWasm> fetchWasm(const ImageRef& ref, bool withModule);

  RegistryOptions options_;
  HttpClient http_;
  // Authorization header values by "registry repository actions": Basic ones for every
  // repository, bearer tokens for the scope they were issued for.
  std::map<std::string, std::string> authorization_;
};

// "HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)": a response's status and the registry's words.
std::string describeResponse(const HttpResponse& response);

}  // namespace pelato::oci
