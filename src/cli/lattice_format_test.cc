#include "cli/lattice_format.h"

#include <gtest/gtest.h>

namespace pelato::cli {
namespace {

TEST(LatticeFormat, LabelsAndUptime) {
  EXPECT_EQ(formatLabels({}), "");
  EXPECT_EQ(formatLabels({{"zone", "edge"}, {"arch", "x86_64"}}), "arch=x86_64,zone=edge");
  EXPECT_EQ(formatUptime(0), "0s");
  EXPECT_EQ(formatUptime(59), "59s");
  EXPECT_EQ(formatUptime(200), "3m 20s");
  EXPECT_EQ(formatUptime(7500), "2h 5m");
  EXPECT_EQ(formatUptime(3 * 86400 + 4 * 3600 + 5), "3d 4h");
}

TEST(LatticeFormat, HostsTable) {
  std::vector<lattice::Host> hosts{
      {.id = "NAAA", .friendlyName = "edge-1", .labels = {{"zone", "edge"}}, .uptimeSeconds = 62, .version = "0.1.0"},
      {.id = "NBBBBB", .friendlyName = "cloud", .uptimeSeconds = 5}};
  EXPECT_EQ(formatHosts(hosts, "default"),
            "HOST ID  NAME    LABELS     UPTIME  VERSION\n"
            "NAAA     edge-1  zone=edge  1m 2s   0.1.0\n"
            "NBBBBB   cloud              5s\n");
  EXPECT_EQ(formatHosts({}, "prod"), "no hosts answered on lattice prod; start one with `pelato host --lattice prod`\n");
}

TEST(LatticeFormat, Inventory) {
  lattice::HostInventory inventory{
      .hostId = "NAAA", .friendlyName = "edge-1", .labels = {{"zone", "edge"}},
      .components = {{.id = "upper", .imageRef = "file:///u.wasm", .maxInstances = 2,
                      .load = lattice::ComponentLoad{.queueDepth = 4}},
                     {.id = "wc", .imageRef = "file:///wc.wasm", .maxInstances = 10}},
      .version = "0.1.0", .uptimeSeconds = 3};
  EXPECT_EQ(formatInventory(inventory),
            "HOST ID  NAAA\n"
            "NAME     edge-1\n"
            "LABELS   zone=edge\n"
            "UPTIME   3s\n"
            "VERSION  0.1.0\n"
            "\n"
            "COMPONENT ID  IMAGE REF        INSTANCES  QUEUE\n"
            "upper         file:///u.wasm   2          4\n"
            "wc            file:///wc.wasm  10\n");
  inventory.components.clear();
  inventory.providers = {{.id = "messaging-nats", .imageRef = "builtin://messaging-nats"}};
  auto text = formatInventory(inventory);
  EXPECT_NE(text.find("\nno components\n\nPROVIDER ID     IMAGE REF\nmessaging-nats  builtin://messaging-nats\n"),
            std::string::npos)
      << text;
}

TEST(LatticeFormat, Links) {
  EXPECT_EQ(formatLinks({}), "no links\n");
  std::vector<lattice::Link> links{{.sourceId = "upper", .target = "nats", .witNamespace = "wasmcloud",
                                    .witPackage = "messaging", .interfaces = {"consumer", "handler"},
                                    .sourceConfig = {"subscriptions=in.a", "destination=out.a"}}};
  EXPECT_EQ(formatLinks(links),
            "SOURCE  NAME     TARGET  INTERFACES                            SOURCE CONFIG                         TARGET CONFIG\n"
            "upper   default  nats    wasmcloud:messaging/consumer,handler  subscriptions=in.a destination=out.a\n");
}

}  // namespace
}  // namespace pelato::cli
