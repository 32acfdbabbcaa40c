#include "orchestrator/reconcile.h"

#include <gtest/gtest.h>

#include "common/file.h"

namespace pelato::orchestrator {
namespace {

Manifest thesisManifest() {
  auto text = readTextFile(std::string(PELATO_SOURCE_DIR) + "/tests/orchestrator/thesis_wadm.yaml");
  EXPECT_TRUE(text) << text.error().message();
  auto manifest = parseManifest(*text);
  EXPECT_TRUE(manifest) << manifest.error().message();
  return *manifest;
}

Manifest spreadManifest(uint32_t instances) {
  auto manifest = parseManifest(fmt::format(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {{name: temps}}
spec:
  components:
    - name: to-f
      type: component
      properties: {{image: "127.0.0.1:5000/temps/to-f:1"}}
      traits:
        - type: spreadscaler
          properties:
            instances: {}
            spread:
              - {{name: edge, weight: 50, requirements: {{host-type: edge}}}}
              - {{name: cloud, weight: 50, requirements: {{host-type: cloud}}}}
)", instances));
  EXPECT_TRUE(manifest) << manifest.error().message();
  return *manifest;
}

HostState host(std::string id, std::string type, uint32_t running = 0, std::string image = "127.0.0.1:5000/temps/to-f:1") {
  HostState h{.id = std::move(id), .labels = {{"host-type", std::move(type)}}};
  if (running) h.components["temps-to-f"] = {.imageRef = std::move(image), .instances = running};
  return h;
}

std::map<std::string, uint32_t> counts(const Plan& plan) {
  std::map<std::string, uint32_t> out;
  for (const auto& scale : plan.scales) out[scale.hostId] = scale.maxInstances;
  return out;
}

TEST(Reconcile, SpreadsFiftyFiftyOverEdgeAndCloud) {
  auto plan = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge"), host("N2", "cloud")}});
  EXPECT_EQ(counts(plan), (std::map<std::string, uint32_t>{{"N1", 2}, {"N2", 2}}));
  ASSERT_EQ(plan.scales.size(), 2u);
  EXPECT_EQ(plan.scales[0].componentId, "temps-to-f");
  EXPECT_EQ(plan.scales[0].componentRef, "127.0.0.1:5000/temps/to-f:1");
  EXPECT_EQ(plan.scales[0].annotations->at(std::string(kAppSpecAnnotation)), "temps");
  ASSERT_EQ(plan.components.size(), 1u);
  EXPECT_EQ(plan.components[0].status, ComponentStatus::Reconciling);
}

TEST(Reconcile, AMatchingLatticeNeedsNothing) {
  auto plan = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge", 2), host("N2", "cloud", 2)}});
  EXPECT_TRUE(plan.scales.empty());
  EXPECT_EQ(plan.components[0].status, ComponentStatus::Deployed);
}

TEST(Reconcile, EdgeGoneFallsBackToCloudAndComesBack) {
  auto away = reconcile(spreadManifest(4), {.hosts = {host("N2", "cloud", 2)}});
  EXPECT_EQ(counts(away), (std::map<std::string, uint32_t>{{"N2", 4}}));
  EXPECT_NE(away.components[0].message.find("edge"), std::string::npos) << away.components[0].message;
  // The edge host is back: half moves home.
  auto back = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge"), host("N2", "cloud", 4)}});
  EXPECT_EQ(counts(back), (std::map<std::string, uint32_t>{{"N1", 2}, {"N2", 2}}));
}

TEST(Reconcile, StrayInstancesStopAndNewImagesUpdate) {
  auto plan = reconcile(spreadManifest(2), {.hosts = {host("N1", "edge", 1, "old:0"), host("N2", "cloud", 1),
                                                      host("N3", "gpu", 3)}});
  ASSERT_EQ(plan.scales.size(), 2u);
  EXPECT_EQ(plan.scales[0].hostId, "N1");  // same count, other image: updated
  EXPECT_EQ(plan.scales[0].maxInstances, 1u);
  EXPECT_TRUE(plan.scales[0].allowUpdate);
  EXPECT_EQ(plan.scales[1].hostId, "N3");  // matches no spread entry: stopped
  EXPECT_EQ(plan.scales[1].maxInstances, 0u);
}

TEST(Reconcile, NoEligibleHostIsAFailureWithAReason) {
  auto plan = reconcile(spreadManifest(2), {.hosts = {host("N3", "gpu")}});
  EXPECT_TRUE(plan.scales.empty());
  EXPECT_EQ(plan.components[0].status, ComponentStatus::Failed);
  EXPECT_NE(plan.components[0].message.find("unplaced"), std::string::npos) << plan.components[0].message;
}

TEST(Reconcile, TheThesisManifestBecomesOneMessagingLinkFromTheComponent) {
  auto plan = reconcile(thesisManifest(), {.hosts = {host("N1", "edge"), host("N2", "cloud")}});
  // One instance, 50/50 over edge and cloud: it lands on one host.
  uint32_t total = 0;
  for (const auto& scale : plan.scales) total += scale.maxInstances;
  EXPECT_EQ(total, 1u);
  ASSERT_EQ(plan.links.size(), 1u);
  const auto& link = plan.links[0];
  EXPECT_EQ(link.sourceId, "pelato-test-data_double_test1");
  EXPECT_EQ(link.target, "pelato-test-nats-processor");
  EXPECT_EQ(link.witNamespace, "wasmcloud");
  EXPECT_EQ(link.witPackage, "messaging");
  EXPECT_EQ(link.interfaces, (std::vector<std::string>{"consumer", "handler"}));
  EXPECT_EQ(link.sourceConfig, std::vector<std::string>{"subscriptions=pelato.data_double_test1.in"});
  ASSERT_EQ(plan.components.size(), 2u);
  EXPECT_EQ(plan.components[1].message, "built-in provider");
  // Once the link is in the lattice, it is not put again.
  auto again = reconcile(thesisManifest(), {.hosts = {host("N1", "edge"), host("N2", "cloud")}, .links = {link}});
  EXPECT_TRUE(again.links.empty());
}

TEST(Reconcile, DaemonscalerRunsOnEveryMatchingHost) {
  auto manifest = parseManifest(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {name: temps}
spec:
  components:
    - name: to-f
      type: component
      properties: {image: "127.0.0.1:5000/temps/to-f:1"}
      traits:
        - type: daemonscaler
          properties:
            instances: 2
            spread: [{name: edge, requirements: {host-type: edge}}]
)");
  ASSERT_TRUE(manifest) << manifest.error().message();
  auto plan = reconcile(*manifest, {.hosts = {host("N1", "edge"), host("N2", "edge", 2), host("N3", "cloud", 1)}});
  EXPECT_EQ(counts(plan), (std::map<std::string, uint32_t>{{"N1", 2}, {"N3", 0}}));
}

TEST(Reconcile, HostsNotAcceptingGiveUpTheirInstances) {
  auto draining = host("N1", "edge", 2);
  draining.accepting = false;
  auto plan = reconcile(spreadManifest(4), {.hosts = {draining, host("N3", "edge"), host("N2", "cloud", 2)}});
  EXPECT_EQ(counts(plan), (std::map<std::string, uint32_t>{{"N1", 0}, {"N3", 2}}));
  // The only edge host drains: its share falls back to the cloud.
  auto alone = reconcile(spreadManifest(4), {.hosts = {draining, host("N2", "cloud", 2)}});
  EXPECT_EQ(counts(alone), (std::map<std::string, uint32_t>{{"N1", 0}, {"N2", 4}}));
}

TEST(Reconcile, ComponentsTheManifestDroppedAreStopped) {
  auto h = host("N1", "edge", 2);
  h.components["temps-old"] = {.imageRef = "old:1", .instances = 1, .app = "temps"};
  h.components["other-app"] = {.imageRef = "x:1", .instances = 1, .app = "other"};
  h.components["by-hand"] = {.imageRef = "y:1", .instances = 1};
  auto plan = reconcile(spreadManifest(2), {.hosts = {h, host("N2", "cloud", 1)}});
  ASSERT_EQ(plan.scales.size(), 2u);
  EXPECT_EQ(plan.scales[0].componentId, "temps-to-f");  // 2 → 1 on N1
  EXPECT_EQ(plan.scales[1].componentId, "temps-old");
  EXPECT_EQ(plan.scales[1].maxInstances, 0u);
}

TEST(Reconcile, UndeployStopsWhatTheAppPlacedAndDeletesItsLinks) {
  auto manifest = thesisManifest();
  auto h = host("N1", "edge");
  h.components["pelato-test-data_double_test1"] = {.imageRef = "img", .instances = 1, .app = "pelato-test"};
  h.components["by-hand"] = {.imageRef = "y:1", .instances = 1};
  auto deployed = reconcile(manifest, {.hosts = {h}});
  ASSERT_EQ(deployed.links.size(), 1u);
  auto plan = undeploy(manifest, {.hosts = {h}, .links = deployed.links});
  ASSERT_EQ(plan.scales.size(), 1u);
  EXPECT_EQ(plan.scales[0].componentId, "pelato-test-data_double_test1");
  EXPECT_EQ(plan.scales[0].maxInstances, 0u);
  ASSERT_EQ(plan.unlinks.size(), 1u);
  EXPECT_EQ(plan.unlinks[0].sourceId, "pelato-test-data_double_test1");
  EXPECT_EQ(plan.unlinks[0].witPackage, "messaging");
  EXPECT_TRUE(undeploy(manifest, {.hosts = {host("N1", "edge")}}).unlinks.empty()) << "no link, nothing to delete";
}

TEST(Reconcile, MovesOverrideTheSpreadWhileBothHostsAreThere) {
  Moves moves{{"temps-to-f", {{"N1", "N3"}}}};
  auto plan = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge", 2), host("N2", "cloud", 2), host("N3", "gpu")}},
                        moves);
  EXPECT_EQ(counts(plan), (std::map<std::string, uint32_t>{{"N1", 0}, {"N3", 2}}));
  EXPECT_NE(plan.components[0].message.find("moved"), std::string::npos);
  // Once moved, the lattice matches: nothing to do.
  auto settled = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge"), host("N2", "cloud", 2), host("N3", "gpu", 2)}},
                           moves);
  EXPECT_TRUE(settled.scales.empty());
  // A target that is gone or draining takes nothing.
  auto draining = host("N3", "gpu");
  draining.accepting = false;
  auto refused = reconcile(spreadManifest(4), {.hosts = {host("N1", "edge", 2), host("N2", "cloud", 2), draining}}, moves);
  EXPECT_TRUE(refused.scales.empty());
}

TEST(Reconcile, AnAnnotatedAppStaysOnItsFallbackHosts) {
  auto manifest = spreadManifest(4);
  manifest.annotations[std::string(kStayOnFallbackAnnotation)] = "true";
  auto plan = reconcile(manifest, {.hosts = {host("N1", "edge"), host("N2", "cloud", 4)}});
  EXPECT_TRUE(plan.scales.empty()) << "the edge host is back, but the instances stay";
  // A placement that no longer holds (one instance short) is placed afresh.
  auto shortOne = reconcile(manifest, {.hosts = {host("N1", "edge"), host("N2", "cloud", 3)}});
  EXPECT_EQ(counts(shortOne), (std::map<std::string, uint32_t>{{"N1", 2}, {"N2", 2}}));
}

TEST(Reconcile, ANewVersionRetiresTheLinksItDropped) {
  auto before = thesisManifest();
  auto after = before;
  for (auto& component : after.components) std::erase_if(component.traits, [](const Trait& t) { return std::holds_alternative<LinkTrait>(t); });
  auto retired = retiredLinks(before, after);
  ASSERT_EQ(retired.size(), 1u);
  EXPECT_EQ(retired[0].sourceId, "pelato-test-data_double_test1");
  EXPECT_TRUE(retiredLinks(before, before).empty());
}

}  // namespace
}  // namespace pelato::orchestrator

namespace pelato::orchestrator {
namespace {

Manifest statefulManifest() {
  auto manifest = parseManifest(R"(
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {name: temps}
spec:
  components:
    - name: to-f
      type: component
      properties: {image: "127.0.0.1:5000/temps/to-f:1", stateful: true, snapshot_interval_ms: 500}
      traits:
        - type: spreadscaler
          properties:
            instances: 1
            spread:
              - {name: edge, weight: 100, requirements: {host-type: edge}}
              - {name: cloud, weight: 0, requirements: {host-type: cloud}}
)");
  EXPECT_TRUE(manifest) << manifest.error().message();
  return *manifest;
}

TEST(Reconcile, StatefulScalesCarryTheirAnnotations) {
  auto plan = reconcile(statefulManifest(), {.hosts = {host("N1", "edge")}});
  ASSERT_EQ(plan.scales.size(), 1u);
  const auto& annotations = *plan.scales[0].annotations;
  EXPECT_EQ(annotations.at(std::string(lattice::kStatefulAnnotation)), "true");
  EXPECT_EQ(annotations.at(std::string(lattice::kSnapshotIntervalAnnotation)), "500");
  EXPECT_TRUE(plan.transfers.empty());
}

TEST(Reconcile, AStatefulMoveBetweenLiveHostsIsATransfer) {
  // Back from the fallback: cloud runs it, the edge host returned.
  auto plan = reconcile(statefulManifest(), {.hosts = {host("N1", "edge"), host("N2", "cloud", 1)}});
  EXPECT_TRUE(plan.scales.empty());
  ASSERT_EQ(plan.transfers.size(), 1u);
  const Transfer& t = plan.transfers[0];
  EXPECT_EQ(t.componentId, "temps-to-f");
  EXPECT_EQ(t.fromHost, "N2");
  EXPECT_EQ(t.toHost, "N1");
  EXPECT_EQ(t.componentRef, "127.0.0.1:5000/temps/to-f:1");
  EXPECT_EQ(t.annotations.at(std::string(lattice::kStatefulAnnotation)), "true");

  // A drained host's instance moves the same way.
  HostState drained = host("N1", "edge", 1);
  drained.accepting = false;
  plan = reconcile(statefulManifest(), {.hosts = {drained, host("N3", "edge")}});
  ASSERT_EQ(plan.transfers.size(), 1u);
  EXPECT_EQ(plan.transfers[0].fromHost, "N1");
  EXPECT_EQ(plan.transfers[0].toHost, "N3");
}

TEST(Reconcile, AStatefulComponentWhoseHostDiedIsScaledToRestore) {
  // Its host is gone from the lattice: nothing to move from, the new host restores the store's state.
  auto plan = reconcile(statefulManifest(), {.hosts = {host("N2", "cloud")}});
  EXPECT_TRUE(plan.transfers.empty());
  EXPECT_EQ(counts(plan), (std::map<std::string, uint32_t>{{"N2", 1}}));
}

TEST(Reconcile, AStatelessMoveStaysScales) {
  auto plan = reconcile(spreadManifest(1), {.hosts = {host("N1", "edge", 1), host("N2", "cloud")}});
  EXPECT_TRUE(plan.transfers.empty());
}

}  // namespace
}  // namespace pelato::orchestrator
