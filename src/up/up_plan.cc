#include "up/up_plan.h"

#include <fmt/format.h>

namespace pelato::up {
namespace {

constexpr std::string_view kLoopback = "127.0.0.1";

std::string natsConfig(const UpOptions& o, const Secrets& s) {
  // With a leaf: a JetStream domain (what the leaf maps its clients' JetStream API to) and a
  // leafnode listener that takes the same credentials as clients.
  std::string domain = o.edgeLeaf ? fmt::format("  domain: {}\n", kJetStreamDomain) : "";
  std::string leafnodes = o.edgeLeaf ? fmt::format(R"(leafnodes {{
  listen: {}:{}
  authorization {{
    user: {}
    password: "{}"
  }}
}}
)",
                                                   kLoopback, o.leafPort, s.natsUser, s.natsPassword)
                                     : "";
  return fmt::format(R"(# Written by `pelato up`; rewritten at every start.
listen: {}:{}
server_name: pelato-up
jetstream {{
  store_dir: "{}"
{}}}
authorization {{
  user: {}
  password: "{}"
}}
{})",
                     kLoopback, o.natsPort, (o.dataDir / "nats").string(), domain, s.natsUser, s.natsPassword,
                     leafnodes);
}

// The edge site's nats-server: a leaf node of the hub, no JetStream of its own.
std::string leafConfig(const UpOptions& o, const Secrets& s) {
  return fmt::format(R"(# Written by `pelato up --edge-leaf`; rewritten at every start.
# A leaf node of the hub ({0}:{1}); the edge hosts connect here.
listen: {0}:{2}
server_name: pelato-up-edge
# No JetStream here: the plain JetStream API of this server's clients goes to the hub's domain
# (nats-server does not let the plain API cross a leaf connection).
default_js_domain: {{ "$G": "{3}" }}
authorization {{
  user: {4}
  password: "{5}"
}}
leafnodes {{
  remotes = [ {{ url: "nats-leaf://{4}:{5}@{0}:{6}" }} ]
}}
)",
                     kLoopback, o.natsPort, o.edgeNatsPort, kJetStreamDomain, s.natsUser, s.natsPassword,
                     o.leafPort);
}

std::string registryConfig(const UpOptions& o) {
  return fmt::format(R"(# Written by `pelato up`; rewritten at every start.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {}
http:
  addr: {}:{}
)",
                     (o.dataDir / "registry").string(), kLoopback, o.registryPort);
}

}  // namespace

std::string envFileText(const UpOptions& o, const Secrets& s) {
  return fmt::format(R"(# Written by `pelato up`: `source` this file to use its lattice from a shell.
export NATS_URL=nats://{0}:{1}
export NATS_HOST={0}
export NATS_PORT={1}
export NATS_USER={2}
export NATS_PASSWORD={3}
export PELATO_LATTICE={4}
export LATTICE={4}
export REGISTRY_URL={0}:{5}/pelato
)",
                     kLoopback, o.natsPort, s.natsUser, s.natsPassword, o.lattice, o.registryPort);
}

UpPlan planUp(const UpOptions& o, const Secrets& s, const std::string& trustedIssuer) {
  UpPlan plan;
  plan.natsUrl = fmt::format("nats://{}:{}", kLoopback, o.natsPort);
  plan.registryAddress = fmt::format("{}:{}", kLoopback, o.registryPort);
  plan.dashboardUrl = fmt::format("http://{}:{}/?token={}", kLoopback, o.dashboardPort, s.dashboardToken);
  plan.envFile = o.dataDir / "env";
  auto logs = o.dataDir / "logs";
  auto natsConf = o.dataDir / "nats.conf";
  auto registryConf = o.dataDir / "registry.yml";
  plan.files = {{natsConf, natsConfig(o, s)}, {registryConf, registryConfig(o)}, {plan.envFile, envFileText(o, s)}};

  auto natsEnvFor = [&](const std::string& url) {
    return std::vector<std::string>{"NATS_URL=" + url, "NATS_USER=" + s.natsUser, "NATS_PASSWORD=" + s.natsPassword,
                                    "PELATO_LATTICE=" + o.lattice};
  };
  std::vector<std::string> natsEnv = natsEnvFor(plan.natsUrl);
  std::string pelato = o.pelato.string();
  plan.services.push_back({.name = "nats", .kind = ServiceKind::Nats,
                           .argv = {o.natsServer, "-c", natsConf.string()},
                           .log = logs / "nats.log", .port = o.natsPort});
  std::vector<std::string> edgeEnv = natsEnv;
  if (o.edgeLeaf) {
    plan.edgeNatsUrl = fmt::format("nats://{}:{}", kLoopback, o.edgeNatsPort);
    plan.leafListen = fmt::format("{}:{}", kLoopback, o.leafPort);
    auto leafConf = o.dataDir / "nats-edge.conf";
    plan.files.emplace_back(leafConf, leafConfig(o, s));
    plan.services.push_back({.name = "nats-edge", .kind = ServiceKind::NatsLeaf,
                             .argv = {o.natsServer, "-c", leafConf.string()},
                             .log = logs / "nats-edge.log", .port = o.edgeNatsPort});
    edgeEnv = natsEnvFor(plan.edgeNatsUrl);
  }
  plan.services.push_back({.name = "registry", .kind = ServiceKind::Registry,
                           .argv = {o.registry, "serve", registryConf.string()},
                           .log = logs / "registry.log", .port = o.registryPort});
  plan.services.push_back({.name = "orchestrator", .kind = ServiceKind::Orchestrator,
                           .argv = {pelato, "orchestrator"}, .environment = natsEnv,
                           .log = logs / "orchestrator.log"});
  unsigned index = 0;
  auto addHosts = [&](std::string_view type, unsigned count) {
    for (unsigned i = 1; i <= count; ++i, ++index) {
      std::string name = fmt::format("{}-{}", type, i);
      uint16_t http = o.hostHttpPort ? static_cast<uint16_t>(o.hostHttpPort + index) : 0;
      plan.services.push_back({.name = name, .kind = ServiceKind::Host,
                               .argv = {pelato, "host", "--name", name, "--label", fmt::format("host-type={}", type),
                                        "--http-port", std::to_string(http), "--trusted-issuer", trustedIssuer},
                               .environment = type == "edge" ? edgeEnv : natsEnv,
                               .log = logs / (name + ".log"), .port = http,
                               .label = std::string(type)});
    }
  };
  addHosts("edge", o.edgeHosts);
  addHosts("cloud", o.cloudHosts);
  auto dashboardEnv = natsEnv;
  dashboardEnv.push_back("PELATO_DASHBOARD_TOKEN=" + s.dashboardToken);
  plan.services.push_back({.name = "dashboard", .kind = ServiceKind::Dashboard,
                           .argv = {pelato, "dashboard", "--port", std::to_string(o.dashboardPort)},
                           .environment = dashboardEnv, .log = logs / "dashboard.log", .port = o.dashboardPort});
  return plan;
}

}  // namespace pelato::up
