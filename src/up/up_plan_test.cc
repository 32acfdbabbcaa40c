#include "up/up_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace pelato::up {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

UpOptions options() {
  return {.dataDir = "/data", .lattice = "lab", .edgeHosts = 2, .cloudHosts = 1, .natsPort = 4300,
          .registryPort = 5300, .dashboardPort = 4400, .hostHttpPort = 8100, .pelato = "/bin/pelato"};
}

TEST(UpPlan, ServicesInStartOrderWithLabelsPortsAndCredentials) {
  auto plan = planUp(options(), {.natsPassword = "pw", .dashboardToken = "tok"}, "ATRUSTED");
  std::vector<std::string> names;
  for (const auto& s : plan.services) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"nats", "registry", "orchestrator", "edge-1", "edge-2", "cloud-1",
                                             "dashboard"}));
  const auto& edge2 = plan.services[4];
  EXPECT_EQ(edge2.argv, (std::vector<std::string>{"/bin/pelato", "host", "--name", "edge-2", "--label",
                                                  "host-type=edge", "--http-port", "8101", "--trusted-issuer",
                                                  "ATRUSTED"}));
  EXPECT_THAT(edge2.environment, ::testing::Contains("NATS_PASSWORD=pw"));
  EXPECT_THAT(edge2.environment, ::testing::Contains("PELATO_LATTICE=lab"));
  EXPECT_EQ(plan.services[5].argv[7], "8102");
  EXPECT_THAT(plan.services.back().environment, ::testing::Contains("PELATO_DASHBOARD_TOKEN=tok"));
  EXPECT_EQ(plan.dashboardUrl, "http://127.0.0.1:4400/?token=tok");
  EXPECT_EQ(plan.natsUrl, "nats://127.0.0.1:4300");
  EXPECT_EQ(edge2.log, "/data/logs/edge-2.log");
}

TEST(UpPlan, NatsConfigHasJetStreamAuthAndLoopbackOnly) {
  auto plan = planUp(options(), {.natsPassword = "pw", .dashboardToken = "tok"}, "A");
  auto conf = std::find_if(plan.files.begin(), plan.files.end(), [](const auto& f) { return f.first == "/data/nats.conf"; });
  ASSERT_NE(conf, plan.files.end());
  EXPECT_THAT(conf->second, HasSubstr("listen: 127.0.0.1:4300"));
  EXPECT_THAT(conf->second, HasSubstr("store_dir: \"/data/nats\""));
  EXPECT_THAT(conf->second, HasSubstr("password: \"pw\""));
  EXPECT_EQ(plan.services[0].argv, (std::vector<std::string>{"nats-server", "-c", "/data/nats.conf"}));
  auto reg = std::find_if(plan.files.begin(), plan.files.end(), [](const auto& f) { return f.first == "/data/registry.yml"; });
  ASSERT_NE(reg, plan.files.end());
  EXPECT_THAT(reg->second, HasSubstr("addr: 127.0.0.1:5300"));
}

TEST(UpPlan, TheEnvFilePointsPelatoCommandsAtTheLattice) {
  auto text = envFileText(options(), {.natsPassword = "pw"});
  EXPECT_THAT(text, HasSubstr("export NATS_URL=nats://127.0.0.1:4300\n"));
  EXPECT_THAT(text, HasSubstr("export NATS_PORT=4300\n"));
  EXPECT_THAT(text, HasSubstr("export NATS_USER=pelato\n"));
  EXPECT_THAT(text, HasSubstr("export LATTICE=lab\n"));
  EXPECT_THAT(text, HasSubstr("export REGISTRY_URL=127.0.0.1:5300/pelato\n"));
}

TEST(UpPlan, HostsOnAnyPortWhenAskedFor) {
  auto o = options();
  o.hostHttpPort = 0;
  auto plan = planUp(o, {}, "A");
  EXPECT_EQ(plan.services[3].argv[7], "0");
  EXPECT_EQ(plan.services[3].port, 0);
}

const std::string& fileText(const UpPlan& plan, const std::filesystem::path& path) {
  static const std::string none;
  for (const auto& [p, text] : plan.files)
    if (p == path) return text;
  ADD_FAILURE() << "no file " << path;
  return none;
}

TEST(UpPlan, WithoutALeafThereIsNoLeafnodeListenerNorDomain) {
  auto plan = planUp(options(), {.natsPassword = "pw"}, "A");
  EXPECT_THAT(fileText(plan, "/data/nats.conf"), Not(HasSubstr("leafnodes")));
  EXPECT_THAT(fileText(plan, "/data/nats.conf"), Not(HasSubstr("domain")));
  EXPECT_TRUE(plan.edgeNatsUrl.empty());
  for (const auto& s : plan.services) EXPECT_NE(s.kind, ServiceKind::NatsLeaf);
}

TEST(UpPlan, AnEdgeLeafServesTheEdgeHostsAndEverythingElseStaysOnTheHub) {
  auto o = options();
  o.edgeLeaf = true;
  o.leafPort = 7500;
  o.edgeNatsPort = 4301;
  auto plan = planUp(o, {.natsPassword = "pw", .dashboardToken = "tok"}, "A");
  std::vector<std::string> names;
  for (const auto& s : plan.services) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"nats", "nats-edge", "registry", "orchestrator", "edge-1", "edge-2",
                                             "cloud-1", "dashboard"}));
  EXPECT_EQ(plan.edgeNatsUrl, "nats://127.0.0.1:4301");
  EXPECT_EQ(plan.leafListen, "127.0.0.1:7500");
  EXPECT_EQ(plan.natsUrl, "nats://127.0.0.1:4300") << "pelato commands keep using the hub";

  const auto& leaf = plan.services[1];
  EXPECT_EQ(leaf.kind, ServiceKind::NatsLeaf);
  EXPECT_EQ(leaf.argv, (std::vector<std::string>{"nats-server", "-c", "/data/nats-edge.conf"}));
  EXPECT_EQ(leaf.port, 4301);
  EXPECT_EQ(leaf.log, "/data/logs/nats-edge.log");

  for (const auto& s : plan.services) {
    if (s.kind == ServiceKind::Nats || s.kind == ServiceKind::NatsLeaf || s.kind == ServiceKind::Registry) continue;
    std::string want = s.label == "edge" ? "NATS_URL=nats://127.0.0.1:4301" : "NATS_URL=nats://127.0.0.1:4300";
    EXPECT_THAT(s.environment, ::testing::Contains(want)) << s.name;
    EXPECT_THAT(s.environment, ::testing::Contains("NATS_PASSWORD=pw")) << s.name;
  }
}

TEST(UpPlan, TheHubAcceptsTheLeafWhichMapsJetStreamToTheHubsDomain) {
  auto o = options();
  o.edgeLeaf = true;
  o.leafPort = 7500;
  o.edgeNatsPort = 4301;
  auto plan = planUp(o, {.natsPassword = "pw"}, "A");
  const auto& hub = fileText(plan, "/data/nats.conf");
  EXPECT_THAT(hub, HasSubstr("listen: 127.0.0.1:4300"));
  EXPECT_THAT(hub, HasSubstr("domain: pelato-hub"));
  EXPECT_THAT(hub, HasSubstr("leafnodes {\n  listen: 127.0.0.1:7500\n  authorization {\n    user: pelato\n"
                             "    password: \"pw\""));
  const auto& leaf = fileText(plan, "/data/nats-edge.conf");
  EXPECT_THAT(leaf, HasSubstr("listen: 127.0.0.1:4301\n"));
  EXPECT_THAT(leaf, HasSubstr("server_name: pelato-up-edge\n"));
  EXPECT_THAT(leaf, HasSubstr("default_js_domain: { \"$G\": \"pelato-hub\" }"));
  EXPECT_THAT(leaf, HasSubstr("password: \"pw\""));
  EXPECT_THAT(leaf, HasSubstr("remotes = [ { url: \"nats-leaf://pelato:pw@127.0.0.1:7500\" } ]"));
  EXPECT_THAT(leaf, Not(HasSubstr("jetstream"))) << "the leaf keeps no streams of its own";
}

}  // namespace
}  // namespace pelato::up
