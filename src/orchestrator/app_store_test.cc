#include "orchestrator/app_store.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

Manifest manifest(std::string version, uint32_t instances = 1) {
  std::string annotations = version.empty() ? "" : fmt::format("annotations: {{version: {}}}", version);
  auto parsed = parseManifest(fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: temps, {}}}
spec:
  components:
    - name: to-k
      type: component
      properties: {{image: "file:///to-k.wasm"}}
      traits: [{{type: spreadscaler, properties: {{instances: {}}}}}]
)", annotations, instances));
  EXPECT_TRUE(parsed) << parsed.error().message();
  return *parsed;
}

TEST(AppStore, VersionsAreStampedKeptInOrderAndImmutable) {
  StoredApp app;
  EXPECT_EQ(*putVersion(app, manifest("")), PutOutcome::Created);
  EXPECT_EQ(*putVersion(app, manifest("")), PutOutcome::NewVersion);
  EXPECT_EQ(*putVersion(app, manifest("v7")), PutOutcome::NewVersion);
  ASSERT_EQ(app.versions.size(), 3u);
  EXPECT_EQ(app.name, "temps");
  EXPECT_EQ(app.versions[0].version, "v1");
  EXPECT_EQ(app.versions[1].version, "v2");
  EXPECT_EQ(app.versions[1].manifest.version(), "v2") << "the stamp is in the stored manifest";
  EXPECT_EQ(app.find("")->version, "v7");
  EXPECT_EQ(app.find("latest")->version, "v7");
  EXPECT_EQ(app.find("v9"), nullptr);

  EXPECT_EQ(*putVersion(app, manifest("v7")), PutOutcome::Unchanged);
  auto changed = putVersion(app, manifest("v7", 4));
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message().find("immutable"), std::string::npos) << changed.error().message();
  EXPECT_EQ(app.versions.size(), 3u);

  auto other = manifest("");
  other.name = "other";
  EXPECT_FALSE(putVersion(app, other));
}

TEST(AppStore, DeletingTheDeployedVersionAsksForAnUndeploy) {
  StoredApp app;
  ASSERT_TRUE(putVersion(app, manifest("v1")));
  ASSERT_TRUE(putVersion(app, manifest("v2", 2)));
  app.deployed = "v2";
  EXPECT_EQ(app.deployedVersion()->manifest.version(), "v2");
  EXPECT_FALSE(*deleteVersions(app, "v1"));
  EXPECT_FALSE(deleteVersions(app, "v1")) << "already gone";
  EXPECT_TRUE(*deleteVersions(app, "v2"));
  EXPECT_EQ(app.deployed, std::nullopt);
  ASSERT_TRUE(putVersion(app, manifest("v3")));
  app.deployed = "v3";
  EXPECT_TRUE(*deleteVersions(app, std::nullopt));
  EXPECT_TRUE(app.versions.empty());
}

TEST(AppStore, JsonRoundTrip) {
  StoredApp app;
  ASSERT_TRUE(putVersion(app, manifest("v1")));
  ASSERT_TRUE(putVersion(app, manifest("", 3)));
  app.deployed = "v1";
  app.moves["temps-to-k"]["N1"] = "N2";
  auto back = StoredApp::fromJson(app.toJson().dump());
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, app);
  EXPECT_FALSE(StoredApp::fromJson("{\"name\": 3}"));
  EXPECT_FALSE(StoredApp::fromJson("not json"));
}

}  // namespace
}  // namespace pelato::orchestrator
