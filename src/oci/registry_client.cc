#include "oci/registry_client.h"

#include <fmt/format.h>

#include <cstdlib>

#include "common/version.h"
#include "oci/auth_challenge.h"
#include "oci/digest.h"
#include "oci/media_types.h"
#include "oci/registry_error.h"

namespace pelato::oci {
namespace {

std::string scopeKey(const ImageRef& ref, std::string_view actions) {
  return fmt::format("{} {} {}", ref.registry, ref.repository, actions);
}

// The Accept list for manifests: OCI first; Docker v2 so registries that convert still answer;
// the index types so that a multi-platform image gets a clear refusal, not a 404.
constexpr std::string_view kManifestAccept =
    "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.index.v1+json;q=0.5, application/vnd.docker.distribution.manifest.list.v2+json;q=0.5";

}  // namespace

Credentials Credentials::fromEnvironment() {
  Credentials c;
  if (const char* user = std::getenv("REGISTRY_USER")) c.username = user;
  if (const char* password = std::getenv("REGISTRY_PASSWORD")) c.password = password;
  return c;
}

std::string describeResponse(const HttpResponse& response) {
  auto message = registryErrorMessage(response.text());
  return message.empty() ? fmt::format("HTTP {}", response.status) : fmt::format("HTTP {} ({})", response.status, message);
}

Result<RegistryClient> RegistryClient::create(RegistryOptions options) {
  if (options.chunkSize == 0) return fail("chunk size must be at least 1 byte");
  if (options.http.userAgent.empty()) options.http.userAgent = fmt::format("pelato/{}", kVersion);
  auto http = HttpClient::create(options.http);
  if (!http) return fail(std::move(http.error()));
  return RegistryClient(std::move(options), std::move(*http));
}

std::string RegistryClient::baseUrl(const ImageRef& ref) const {
  bool plain = options_.insecure || ref.isLoopback();
  return fmt::format("{}://{}/v2/{}", plain ? "http" : "https", ref.registry, ref.repository);
}

Result<HttpResponse> RegistryClient::send(const ImageRef& ref, HttpRequest request, std::string_view actions) {
  auto base = request.headers;
  std::string authorization;
  if (auto it = authorization_.find(scopeKey(ref, actions)); it != authorization_.end()) authorization = it->second;
  else if (auto basic = authorization_.find(ref.registry); basic != authorization_.end()) authorization = basic->second;
  if (!authorization.empty()) request.headers.push_back("Authorization: " + authorization);
  auto response = http_.send(request);
  if (!response || response->status != 401) return response;

  auto login = authorize(ref, *response, actions, !authorization.empty());
  if (!login) return fail(std::move(login.error()));
  request.headers = base;
  request.headers.push_back("Authorization: " + *login);
  response = http_.send(request);
  if (!response || response->status != 401) return response;
  return fail("{} refused the credentials of user '{}' for {} ({}): wrong username or password, or no {} access; "
              "check --user/--password or REGISTRY_USER/REGISTRY_PASSWORD",
              ref.registry, options_.credentials.username, ref.repository, describeResponse(*response), actions);
}

Result<std::string> RegistryClient::authorize(const ImageRef& ref, const HttpResponse& challenged,
                                              std::string_view actions, bool hadAuthorization) {
  auto header = challenged.header("www-authenticate");
  if (header.empty())
    return fail("{} answered 401 without a WWW-Authenticate challenge ({}); it is not a working OCI registry",
                ref.registry, describeResponse(challenged));
  auto challenge = parseAuthChallenge(header);
  if (!challenge) return fail(std::move(challenge.error()).context(ref.registry));
  const auto& creds = options_.credentials;
  if (challenge->scheme == "basic") {
    if (creds.empty())
      return fail("{} requires a username and password ({}); pass --user and --password or set "
                  "REGISTRY_USER and REGISTRY_PASSWORD", ref.registry, describeResponse(challenged));
    if (hadAuthorization)
      return fail("{} refused the credentials of user '{}' ({}): wrong username or password; check --user/--password "
                  "or REGISTRY_USER/REGISTRY_PASSWORD", ref.registry, creds.username, describeResponse(challenged));
    auto basic = basicAuthorization(creds.username, creds.password);
    authorization_[ref.registry] = basic;
    return basic;
  }
  if (challenge->scheme != "bearer")
    return fail("{} asks for '{}' authentication; pelato supports Basic and Bearer (token) authentication",
                ref.registry, challenge->scheme);

  // Bearer: ask the token server named by the challenge for a token for this repository.
  auto realm = challenge->param("realm");
  if (!realm.starts_with("https://") && !realm.starts_with("http://"))
    return fail("{} sent a bearer challenge without an http(s) realm ('{}')", ref.registry, realm.substr(0, 200));
  std::string scope = challenge->param("scope");
  if (scope.empty()) scope = fmt::format("repository:{}:{}", ref.repository, actions);
  std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  if (auto service = challenge->param("service"); !service.empty()) url += "service=" + urlEncode(service) + "&";
  url += "scope=" + urlEncode(scope);
  HttpRequest tokenRequest{.url = url, .maxResponseBytes = 1 << 20, .followRedirects = true};
  if (!creds.empty()) tokenRequest.headers.push_back("Authorization: " + basicAuthorization(creds.username, creds.password));
  auto reply = http_.send(tokenRequest);
  if (!reply) return fail(std::move(reply.error()).context("getting a registry token"));
  if (reply->status == 401 || reply->status == 403)
    return fail("the token server of {} refused {} ({}): wrong username or password; check --user/--password or "
                "REGISTRY_USER/REGISTRY_PASSWORD", ref.registry,
                creds.empty() ? "anonymous access" : fmt::format("user '{}'", creds.username), describeResponse(*reply));
  if (reply->status != 200)
    return fail("the token server of {} answered {}", ref.registry, describeResponse(*reply));
  auto token = parseTokenResponse(reply->text());
  if (!token) return fail(std::move(token.error()));
  auto bearer = "Bearer " + *token;
  authorization_[scopeKey(ref, actions)] = bearer;
  return bearer;
}

Result<std::string> RegistryClient::resolveLocation(const ImageRef& ref, const HttpResponse& response) const {
  auto location = response.header("location");
  if (location.empty()) return fail("{} started an upload without a Location header; it is not a working OCI registry", ref.registry);
  if (location.starts_with("http://") || location.starts_with("https://")) return location;
  if (!location.starts_with('/'))
    return fail("{} sent an upload location '{}' that is not an absolute path or URL", ref.registry, location.substr(0, 200));
  auto base = baseUrl(ref);
  return base.substr(0, base.find("/v2/")) + location;
}

Result<void> RegistryClient::checkAccess(const ImageRef& ref) {
  auto response = send(ref, {.url = baseUrl(ref) + "/tags/list"}, "pull");
  if (!response) return fail(std::move(response.error()).context(fmt::format("reaching the registry {}", ref.registry)));
  if (response->status == 401 || response->status == 403)
    return fail("the registry {} refused access to {}: {}; check REGISTRY_USER and REGISTRY_PASSWORD", ref.registry,
                ref.repository, describeResponse(*response));
  if (response->status >= 500)
    return fail("the registry {} failed: {}", ref.registry, describeResponse(*response));
  return {};
}

Result<RemoteManifest> RegistryClient::fetchManifest(const ImageRef& ref) {
  HttpRequest request{.url = baseUrl(ref) + "/manifests/" + ref.reference(),
                      .headers = {std::string(kManifestAccept)},
                      .maxResponseBytes = kMaxManifestBytes};
  auto response = send(ref, request, "pull");
  if (!response) return fail(std::move(response.error()).context(fmt::format("fetching the manifest of {}", ref.toString())));
  if (response->status == 404)
    return fail("{} not found in {}: {}; check the {} (or push it first with `pelato push`)", ref.toString(), ref.registry,
                describeResponse(*response), ref.digest ? "digest" : "tag");
  if (response->status != 200)
    return fail("fetching the manifest of {}: {}", ref.toString(), describeResponse(*response));
  RemoteManifest remote{.digest = digestOf(response->body), .json = std::string(response->text())};
  if (ref.digest && remote.digest != *ref.digest)
    return fail("digest mismatch for the manifest of {}: the registry sent content with digest {}; refusing it",
                ref.toString(), remote.digest);
  if (auto claimed = response->header("docker-content-digest"); !claimed.empty() && claimed != remote.digest &&
                                                                 claimed.starts_with("sha256:"))
    return fail("digest mismatch for the manifest of {}: the registry says {} but the bytes hash to {}; refusing it",
                ref.toString(), claimed, remote.digest);
  auto manifest = parseManifest(remote.json);
  if (!manifest) return fail(std::move(manifest.error()).context(ref.toString()));
  remote.manifest = std::move(*manifest);
  return remote;
}

Result<std::vector<uint8_t>> RegistryClient::fetchBlob(const ImageRef& ref, const Descriptor& blob) {
  if (blob.size > options_.maxBlobBytes)
    return fail("blob {} of {} is {} bytes, over the {} byte limit; refusing to download it", blob.digest,
                ref.toString(), blob.size, options_.maxBlobBytes);
  // One byte more than announced is enough to know the registry sent the wrong thing.
  HttpRequest request{.url = baseUrl(ref) + "/blobs/" + blob.digest,
                      .maxResponseBytes = blob.size + 1,
                      .followRedirects = true};
  auto response = send(ref, request, "pull");
  if (!response) return fail(std::move(response.error()).context(fmt::format("fetching blob {} of {}", blob.digest, ref.toString())));
  if (response->status != 200)
    return fail("fetching blob {} of {}: {}", blob.digest, ref.toString(), describeResponse(*response));
  if (response->body.size() != blob.size)
    return fail("blob {} of {}: the registry sent {} bytes, the manifest says {}; refusing it", blob.digest,
                ref.toString(), response->body.size(), blob.size);
  auto actual = digestOf(response->body);
  if (actual != blob.digest)
    return fail("digest mismatch for blob {} of {}: the content the registry sent hashes to {}; the blob is corrupt "
                "or was tampered with, refusing it", blob.digest, ref.toString(), actual);
  return std::move(response->body);
}

Result<PulledWasm> RegistryClient::fetchWasm(const ImageRef& ref, bool withModule) {
  auto manifest = fetchManifest(ref);
  if (!manifest) return fail(std::move(manifest.error()));
  auto layer = wasmLayer(manifest->manifest);
  if (!layer) return fail(std::move(layer.error()).context(ref.toString()));
  PulledWasm pulled{.manifest = std::move(*manifest), .layer = std::move(*layer)};
  const auto& configBlob = pulled.manifest.manifest.config;
  if (configBlob.mediaType == kWasmConfigMediaType) {
    if (configBlob.size > kMaxConfigBytes)
      return fail("{}: the wasm config is {} bytes, over the {} byte limit", ref.toString(), configBlob.size, kMaxConfigBytes);
    auto bytes = fetchBlob(ref, configBlob);
    if (!bytes) return fail(std::move(bytes.error()));
    auto config = parseWasmConfig({reinterpret_cast<const char*>(bytes->data()), bytes->size()});
    if (!config) return fail(std::move(config.error()).context(ref.toString()));
    pulled.config = std::move(*config);
  }
  if (withModule) {
    auto module = fetchBlob(ref, pulled.layer);
    if (!module) return fail(std::move(module.error()));
    pulled.module = std::move(*module);
  }
  return pulled;
}

Result<PulledWasm> RegistryClient::pullWasm(const ImageRef& ref) { return fetchWasm(ref, true); }
Result<PulledWasm> RegistryClient::inspectWasm(const ImageRef& ref) { return fetchWasm(ref, false); }

}  // namespace pelato::oci
