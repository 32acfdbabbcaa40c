#include "orchestrator/app_status.h"

#include <gtest/gtest.h>

namespace pelato::orchestrator {
namespace {

StoredApp app() {
  auto manifest = parseManifest(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {name: temps, annotations: {version: v1, description: "celsius to kelvin"}}
spec:
  components:
    - {name: to-k, type: component, properties: {image: "file:///to-k.wasm"}}
    - {name: filter, type: component, properties: {image: "file:///filter.wasm"}}
)");
  EXPECT_TRUE(manifest) << manifest.error().message();
  StoredApp stored;
  EXPECT_TRUE(putVersion(stored, *manifest));
  return stored;
}

TEST(AppStatus, UndeployedUntilDeployed) {
  auto stored = app();
  EXPECT_EQ(appStatus(stored, {}).info.type, lattice::StatusType::Undeployed);
  auto summary = appSummary(stored, {});
  EXPECT_EQ(summary.version, "v1");
  EXPECT_EQ(summary.description, "celsius to kelvin");
  EXPECT_EQ(summary.deployedVersion, std::nullopt);
}

TEST(AppStatus, TheWorstComponentDecidesAndSaysWhy) {
  auto stored = app();
  stored.deployed = "v1";
  EXPECT_EQ(appStatus(stored, {}).info.type, lattice::StatusType::Reconciling) << "no pass yet";

  std::vector<ComponentReport> reports{{.componentId = "temps-to-k", .status = ComponentStatus::Deployed},
                                       {.componentId = "temps-filter", .status = ComponentStatus::Failed,
                                        .message = "no host matches"}};
  auto status = appStatus(stored, reports);
  EXPECT_EQ(status.info.type, lattice::StatusType::Failed);
  EXPECT_EQ(status.info.message, "filter: no host matches");
  EXPECT_EQ(status.version, "v1");
  ASSERT_EQ(status.components.size(), 2u);
  EXPECT_EQ(status.components[0].info.type, lattice::StatusType::Deployed);
  EXPECT_EQ(status.components[1].type, "component");

  reports[1].status = ComponentStatus::Deployed;
  reports[1].message = "no host for spread edge";
  EXPECT_EQ(appStatus(stored, reports).info.message, "filter: no host for spread edge") << "notes show too";
  reports[1].message.clear();
  auto summary = appSummary(stored, reports);
  EXPECT_EQ(summary.status, lattice::StatusType::Deployed);
  EXPECT_EQ(summary.deployedVersion, "v1");
  EXPECT_EQ(summary.statusMessage, std::nullopt);
}

}  // namespace
}  // namespace pelato::orchestrator
