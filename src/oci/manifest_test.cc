#include "oci/manifest.h"

#include <gtest/gtest.h>

#include "oci/media_types.h"
#include "oci/wasm_config.h"

namespace pelato::oci {
namespace {

const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');

Manifest sample() {
  return makeWasmManifest({.mediaType = std::string(kWasmConfigMediaType), .digest = kA, .size = 70},
                          {.mediaType = std::string(kWasmLayerMediaType), .digest = kB, .size = 1234,
                           .annotations = {{"org.opencontainers.image.title", "upper.wasm"}}},
                          {{"org.opencontainers.image.created", "2026-11-29T00:00:00Z"}});
}

void expectError(std::string_view json, std::string_view fragment) {
  auto m = parseManifest(json);
  ASSERT_FALSE(m) << json;
  EXPECT_NE(m.error().message().find(fragment), std::string::npos) << m.error().message();
}

TEST(Manifest, RoundTrips) {
  auto json = serializeManifest(sample());
  EXPECT_TRUE(json.starts_with(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)"))
      << json;
  auto parsed = parseManifest(json);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, sample());
  EXPECT_EQ(serializeManifest(*parsed), json);
  auto layer = wasmLayer(*parsed);
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer->size, 1234u);
}

TEST(Manifest, RefusesMalformedOnesClearly) {
  expectError("not json", "not valid JSON");
  expectError("[]", "must be a JSON object");
  expectError(R"({"schemaVersion":1})", "\"schemaVersion\" must be 2");
  expectError(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})", "image index");
  expectError(R"({"schemaVersion":2,"layers":[]})", "missing \"config\"");
  auto config = R"("config":{"mediaType":"x","digest":")" + kA + R"(","size":1})";
  expectError(R"({"schemaVersion":2,)" + config + "}", "missing \"layers\"");
  expectError(R"({"schemaVersion":2,)" + config + R"(,"layers":[{"mediaType":"x","digest":"sha256:12","size":1}]})",
              "layer 0: digest");
  expectError(R"({"schemaVersion":2,)" + config + R"(,"layers":[{"mediaType":"x","digest":")" + kB +
                  R"(","size":-1}]})",
              "\"size\" must be a non-negative integer");
  expectError(R"({"schemaVersion":2,)" + config + R"(,"layers":[{"mediaType":"x","digest":")" + kB +
                  R"(","size":1.5}]})",
              "\"size\" must be a non-negative integer");
  expectError(R"({"schemaVersion":2,)" + config + R"(,"layers":[],"annotations":{"a":1}})", "entry \"a\" must be a string");
  expectError(R"({"schemaVersion":2,"mediaType":"text/plain",)" + config + R"(,"layers":[]})", "not supported");
  expectError(std::string(kMaxManifestBytes + 1, ' '), "up to");
}

TEST(Manifest, WasmLayerMustBeThereOnce) {
  auto m = sample();
  m.layers[0].mediaType = "application/vnd.oci.image.layer.v1.tar+gzip";
  auto none = wasmLayer(m);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no wasm layer"), std::string::npos);
  m = sample();
  m.layers.push_back(m.layers[0]);
  EXPECT_FALSE(wasmLayer(m));
  m = sample();
  m.layers[0].mediaType = std::string(kWasmLayerMediaTypeCncf);
  EXPECT_TRUE(wasmLayer(m));
}

TEST(WasmConfig, RoundTripsAndValidates) {
  WasmConfig c{.created = "2026-11-29T00:00:00Z", .layerDigests = {kB}};
  auto json = serializeWasmConfig(c);
  auto parsed = parseWasmConfig(json);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, c);
  EXPECT_TRUE(parseWasmConfig(R"({"architecture":"wasm","extra":{"x":1}})"));
  auto arch = parseWasmConfig(R"({"architecture":"amd64"})");
  ASSERT_FALSE(arch);
  EXPECT_NE(arch.error().message().find("expected 'wasm'"), std::string::npos);
  auto digest = parseWasmConfig(R"({"architecture":"wasm","layerDigests":["nope"]})");
  ASSERT_FALSE(digest);
  EXPECT_NE(digest.error().message().find("layerDigests[0]"), std::string::npos);
}

}  // namespace
}  // namespace pelato::oci
