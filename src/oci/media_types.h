// Media types of pelato's wasm artifacts (docs/PROTOCOL.md, "Artifacts in OCI registries").
#pragma once

#include <string_view>

namespace pelato::oci {

inline constexpr std::string_view kManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kIndexMediaType = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerListMediaType = "application/vnd.docker.distribution.manifest.list.v2+json";
// wasmCloud's layout: the module is the one layer, its metadata the config blob.
inline constexpr std::string_view kWasmLayerMediaType = "application/vnd.wasm.content.layer.v1+wasm";
inline constexpr std::string_view kWasmConfigMediaType = "application/vnd.wasm.config.v0+json";
// The CNCF wasm OCI artifact layout (wkg, oci-wasm) uses this layer type; pelato pulls it too.
inline constexpr std::string_view kWasmLayerMediaTypeCncf = "application/wasm";

}  // namespace pelato::oci
