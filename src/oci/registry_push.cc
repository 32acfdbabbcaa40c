// RegistryClient's push half: blobs (HEAD-skip, monolithic or chunked upload), then the manifest.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "oci/digest.h"
#include "oci/media_types.h"
#include "oci/registry_client.h"

namespace pelato::oci {
namespace {

std::span<const uint8_t> bytesOf(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::string withQuery(const std::string& url, std::string_view query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + std::string(query);
}

std::string nowRfc3339() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

}  // namespace

Result<bool> RegistryClient::blobExists(const ImageRef& ref, const Descriptor& blob) {
  HttpRequest request{.method = "HEAD", .url = baseUrl(ref) + "/blobs/" + blob.digest};
  auto response = send(ref, request, "pull,push");
  if (!response) return fail(std::move(response.error()));
  if (response->status == 200) return true;
  if (response->status == 404) return false;
  return fail("checking for blob {} in {}: {}", blob.digest, ref.toString(), describeResponse(*response));
}

Result<void> RegistryClient::uploadBlob(const ImageRef& ref, const Descriptor& blob, std::span<const uint8_t> data) {
  auto where = [&] { return fmt::format("uploading blob {} to {}", blob.digest, ref.toString()); };
  HttpRequest start{.method = "POST", .url = baseUrl(ref) + "/blobs/uploads/"};
  auto started = send(ref, start, "pull,push");
  if (!started) return fail(std::move(started.error()).context(where()));
  if (started->status != 202) return fail("{}: starting the upload: {}", where(), describeResponse(*started));
  auto location = resolveLocation(ref, *started);
  if (!location) return fail(std::move(location.error()));

  std::span<const uint8_t> last = data;  // monolithic: the whole blob goes with the closing PUT
  if (data.size() > options_.chunkThreshold) {
    // Chunked: PATCH each piece with its Content-Range, following the Location each answer gives.
    for (uint64_t offset = 0; offset < data.size(); offset += options_.chunkSize) {
      auto chunk = data.subspan(offset, std::min<uint64_t>(options_.chunkSize, data.size() - offset));
      HttpRequest patch{.method = "PATCH",
                        .url = *location,
                        .headers = {fmt::format("Content-Range: {}-{}", offset, offset + chunk.size() - 1)},
                        .body = chunk};
      auto sent = send(ref, patch, "pull,push");
      if (!sent) return fail(std::move(sent.error()).context(where()));
      if (sent->status != 202)
        return fail("{}: chunk at offset {}: {}", where(), offset, describeResponse(*sent));
      location = resolveLocation(ref, *sent);
      if (!location) return fail(std::move(location.error()));
    }
    last = {};
  }
  HttpRequest finish{.method = "PUT", .url = withQuery(*location, "digest=" + blob.digest), .body = last};
  auto finished = send(ref, finish, "pull,push");
  if (!finished) return fail(std::move(finished.error()).context(where()));
  if (finished->status != 201) return fail("{}: {}", where(), describeResponse(*finished));
  return {};
}

Result<PushResult> RegistryClient::pushWasm(const ImageRef& ref, const WasmPushRequest& request) {
  if (ref.digest) return fail("push to {}: give a tag, not a digest (the registry computes the digest)", ref.toString());
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  if (request.module.size() < 8 || !std::equal(std::begin(kMagic), std::end(kMagic), request.module.begin()))
    return fail("push to {}: the module is not a WebAssembly binary (no \\0asm header)", ref.toString());

  PushResult result;
  result.layer = Descriptor{.mediaType = std::string(kWasmLayerMediaType),
                            .digest = digestOf(request.module),
                            .size = request.module.size()};
  if (!request.title.empty()) result.layer.annotations["org.opencontainers.image.title"] = request.title;
  std::string created = request.created.empty() ? nowRfc3339() : request.created;
  auto configJson = serializeWasmConfig(WasmConfig{.created = created, .layerDigests = {result.layer.digest}});
  result.config = Descriptor{.mediaType = std::string(kWasmConfigMediaType),
                             .digest = digestOf(bytesOf(configJson)),
                             .size = configJson.size()};

  std::pair<const Descriptor*, std::span<const uint8_t>> blobs[] = {{&result.config, bytesOf(configJson)},
                                                                    {&result.layer, request.module}};
  for (auto [descriptor, bytes] : blobs) {
    auto exists = blobExists(ref, *descriptor);
    if (!exists) return fail(std::move(exists.error()));
    if (*exists) {
      ++result.blobsSkipped;
      continue;
    }
    if (auto uploaded = uploadBlob(ref, *descriptor, bytes); !uploaded) return fail(std::move(uploaded.error()));
    ++result.blobsUploaded;
  }

  Annotations annotations = request.annotations;
  annotations.emplace("org.opencontainers.image.created", created);
  auto manifestJson = serializeManifest(makeWasmManifest(result.config, result.layer, std::move(annotations)));
  result.manifestDigest = digestOf(bytesOf(manifestJson));
  HttpRequest put{.method = "PUT",
                  .url = baseUrl(ref) + "/manifests/" + ref.tag,
                  .headers = {fmt::format("Content-Type: {}", kManifestMediaType)},
                  .body = bytesOf(manifestJson)};
  auto response = send(ref, put, "pull,push");
  if (!response) return fail(std::move(response.error()).context(fmt::format("pushing the manifest of {}", ref.toString())));
  if (response->status != 201 && response->status != 200)
    return fail("pushing the manifest of {}: {}", ref.toString(), describeResponse(*response));
  if (auto claimed = response->header("docker-content-digest"); !claimed.empty() && claimed != result.manifestDigest)
    return fail("pushing the manifest of {}: the registry stored it as {} but pelato sent {}; the registry rewrote it",
                ref.toString(), claimed, result.manifestDigest);
  return result;
}

}  // namespace pelato::oci
