// OCI image manifests carrying one wasm module: build, serialise, parse strictly (pure).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::oci {

using Annotations = std::map<std::string, std::string>;

// A content descriptor: what a blob is, its digest and its exact size.
struct Descriptor {
  std::string mediaType;
  std::string digest;  // sha256:…
  uint64_t size = 0;
  Annotations annotations;

  bool operator==(const Descriptor&) const = default;
};

struct Manifest {
  std::string mediaType;  // kManifestMediaType (may be absent in the JSON: then empty)
  std::string artifactType;  // optional (OCI 1.1)
  Descriptor config;
  std::vector<Descriptor> layers;
  Annotations annotations;

  bool operator==(const Manifest&) const = default;
};

// Largest manifest pelato reads: the distribution spec asks registries to take at least 4 MiB.
inline constexpr size_t kMaxManifestBytes = 4 << 20;

// The manifest of a wasm artifact: the config blob and the module as the only layer.
Manifest makeWasmManifest(Descriptor config, Descriptor layer, Annotations annotations = {});

// Compact JSON with a fixed key order: the bytes pushed, whose sha256 is the manifest digest.
std::string serializeManifest(const Manifest& manifest);

// Parses an OCI image manifest. Strict where it matters: schemaVersion 2, a config descriptor and
// layer descriptors with a media type, a valid sha256 digest and a size; annotations are strings.
// Image indexes and Docker manifest lists are refused with a message saying so.
Result<Manifest> parseManifest(std::string_view json);

// The module's layer: exactly one layer with a wasm media type.
Result<Descriptor> wasmLayer(const Manifest& manifest);

}  // namespace pelato::oci
