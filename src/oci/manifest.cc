#include "oci/manifest.h"

#include <fmt/format.h>

#include "oci/digest.h"
#include "oci/json_fields.h"
#include "oci/media_types.h"

namespace pelato::oci {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json descriptorJson(const Descriptor& d) {
  ordered_json out;
  out["mediaType"] = d.mediaType;
  out["digest"] = d.digest;
  out["size"] = d.size;
  if (!d.annotations.empty()) out["annotations"] = d.annotations;
  return out;
}

Result<Descriptor> parseDescriptor(const json& value, const std::string& where) {
  if (!value.is_object()) return fail("{} must be an object, got {}", where, value.type_name());
  Descriptor d;
  auto mediaType = requiredString(value, "mediaType", where);
  if (!mediaType) return fail(std::move(mediaType.error()));
  if (mediaType->empty()) return fail("{}: \"mediaType\" is empty", where);
  d.mediaType = std::move(*mediaType);
  auto digest = requiredString(value, "digest", where);
  if (!digest) return fail(std::move(digest.error()));
  if (auto ok = validateDigest(*digest); !ok) return fail(std::move(ok.error()).context(where));
  d.digest = std::move(*digest);
  auto size = requiredSize(value, "size", where);
  if (!size) return fail(std::move(size.error()));
  d.size = *size;
  auto annotations = optionalStringMap(value, "annotations", where);
  if (!annotations) return fail(std::move(annotations.error()));
  d.annotations = std::move(*annotations);
  return d;
}

bool isWasmLayer(std::string_view mediaType) {
  return mediaType == kWasmLayerMediaType || mediaType == kWasmLayerMediaTypeCncf;
}

}  // namespace

Manifest makeWasmManifest(Descriptor config, Descriptor layer, Annotations annotations) {
  return Manifest{.mediaType = std::string(kManifestMediaType),
                  .config = std::move(config),
                  .layers = {std::move(layer)},
                  .annotations = std::move(annotations)};
}

std::string serializeManifest(const Manifest& manifest) {
  ordered_json out;
  out["schemaVersion"] = 2;
  if (!manifest.mediaType.empty()) out["mediaType"] = manifest.mediaType;
  if (!manifest.artifactType.empty()) out["artifactType"] = manifest.artifactType;
  out["config"] = descriptorJson(manifest.config);
  out["layers"] = ordered_json::array();
  for (const auto& layer : manifest.layers) out["layers"].push_back(descriptorJson(layer));
  if (!manifest.annotations.empty()) out["annotations"] = manifest.annotations;
  return dumpJson(out);
}

Result<Manifest> parseManifest(std::string_view text) {
  if (text.size() > kMaxManifestBytes)
    return fail("manifest is {} bytes; pelato reads manifests up to {} bytes", text.size(), kMaxManifestBytes);
  auto parsed = parseJsonObject(text, "manifest");
  if (!parsed) return fail(std::move(parsed.error()));
  const json& doc = *parsed;

  Manifest m;
  auto mediaType = optionalString(doc, "mediaType", "manifest");
  if (!mediaType) return fail(std::move(mediaType.error()));
  if (*mediaType == kIndexMediaType || *mediaType == kDockerListMediaType || doc.contains("manifests"))
    return fail("this is an image index (a list of manifests, e.g. multi-platform), not a wasm artifact manifest; "
                "push the module with `pelato push` and pull that tag");
  if (!mediaType->empty() && *mediaType != kManifestMediaType && *mediaType != kDockerManifestMediaType)
    return fail("manifest media type '{}' is not supported; expected {}", *mediaType, kManifestMediaType);
  m.mediaType = std::move(*mediaType);

  auto schema = doc.find("schemaVersion");
  if (schema == doc.end()) return fail("manifest: missing \"schemaVersion\"");
  if (!schema->is_number_unsigned() || schema->get<uint64_t>() != 2)
    return fail("manifest: \"schemaVersion\" must be 2 (OCI image manifest), got {}", dumpJson(*schema).substr(0, 40));

  auto artifactType = optionalString(doc, "artifactType", "manifest");
  if (!artifactType) return fail(std::move(artifactType.error()));
  m.artifactType = std::move(*artifactType);

  auto config = doc.find("config");
  if (config == doc.end()) return fail("manifest: missing \"config\" descriptor");
  auto configDescriptor = parseDescriptor(*config, "manifest config");
  if (!configDescriptor) return fail(std::move(configDescriptor.error()));
  m.config = std::move(*configDescriptor);

  auto layers = doc.find("layers");
  if (layers == doc.end()) return fail("manifest: missing \"layers\"");
  if (!layers->is_array()) return fail("manifest: \"layers\" must be an array, got {}", layers->type_name());
  for (size_t i = 0; i < layers->size(); ++i) {
    auto layer = parseDescriptor((*layers)[i], fmt::format("manifest layer {}", i));
    if (!layer) return fail(std::move(layer.error()));
    m.layers.push_back(std::move(*layer));
  }

  auto annotations = optionalStringMap(doc, "annotations", "manifest");
  if (!annotations) return fail(std::move(annotations.error()));
  m.annotations = std::move(*annotations);
  return m;
}

Result<Descriptor> wasmLayer(const Manifest& manifest) {
  const Descriptor* found = nullptr;
  for (const auto& layer : manifest.layers) {
    if (!isWasmLayer(layer.mediaType)) continue;
    if (found)
      return fail("the manifest has more than one wasm layer; pelato expects exactly one module per artifact");
    found = &layer;
  }
  if (found) return *found;
  std::string types;
  for (const auto& layer : manifest.layers) types += (types.empty() ? "" : ", ") + layer.mediaType;
  return fail("the manifest has no wasm layer ({}); expected a layer of type {} — is this a container image "
              "rather than a module pushed with `pelato push`?",
              types.empty() ? "no layers" : "layers: " + types, kWasmLayerMediaType);
}

}  // namespace pelato::oci
