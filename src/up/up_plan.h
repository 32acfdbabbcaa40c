// What `pelato up` runs, as data (pure): the data directory's layout, the config files it writes
// (nats-server with JetStream, authentication and loopback only; docker-registry), and every
// service's command line and environment, in start order: nats-server, registry, orchestrator,
// the edge and cloud hosts (labels host-type=edge|cloud, trusting the user's signing key), the
// dashboard.
//
// With `edgeLeaf` the edge hosts sit on an edge site of their own: a second nats-server, a leaf
// node of the first (the hub), started right after it; the edge hosts connect to the leaf, all
// else stays on the hub. The leaf has no JetStream: the hub's JetStream gets the domain
// kJetStreamDomain and the leaf maps the plain JetStream API ($JS.API.>, $KV.>) of its clients
// to that domain (`default_js_domain`), because nats-server denies the plain API across a leaf
// connection ("JetStream Not Extended") and the hosts use the plain one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pelato::up {

struct UpOptions {
  std::filesystem::path dataDir;
  std::string lattice = "default";
  unsigned edgeHosts = 1;
  unsigned cloudHosts = 1;
  // Ports on 127.0.0.1; 0 = any free one (resolved before planning, except hostHttpPort: 0
  // lets each host pick its own). Hosts get hostHttpPort, hostHttpPort + 1, ...
  uint16_t natsPort = 4222;
  uint16_t registryPort = 5000;
  uint16_t dashboardPort = 4000;
  uint16_t hostHttpPort = 8000;
  std::filesystem::path pelato;  // this executable
  std::string natsServer = "nats-server";
  // --edge-leaf: the edge hosts on a leaf node; the hub accepts leaf connections on leafPort,
  // the leaf serves its clients on edgeNatsPort (both resolved like natsPort).
  bool edgeLeaf = false;
  uint16_t leafPort = 7422;
  uint16_t edgeNatsPort = 4223;
  std::string registry = "docker-registry";
};

struct Secrets {
  std::string natsUser = "pelato";
  std::string natsPassword;
  std::string dashboardToken;
};

// The JetStream domain of the hub when there is a leaf (what leaf clients' JetStream maps to).
inline constexpr std::string_view kJetStreamDomain = "pelato-hub";

enum class ServiceKind { Nats, NatsLeaf, Registry, Orchestrator, Host, Dashboard };

struct ServiceSpec {
  std::string name;  // "nats", "nats-edge", "registry", "orchestrator", "edge-1", "cloud-1", "dashboard"
  ServiceKind kind;
  std::vector<std::string> argv;
  std::vector<std::string> environment;  // "K=V"
  std::filesystem::path log;
  uint16_t port = 0;  // what it listens on, when known in advance
  std::string label;  // hosts: host-type value
};

struct UpPlan {
  std::vector<std::pair<std::filesystem::path, std::string>> files;  // written before starting
  std::vector<ServiceSpec> services;
  std::string natsUrl;
  std::string edgeNatsUrl;  // the leaf's client URL with edgeLeaf, else empty
  std::string leafListen;   // host:port where the hub accepts leaf nodes, with edgeLeaf
  std::string registryAddress;  // host:port
  std::string dashboardUrl;     // with ?token=
  std::filesystem::path envFile;  // `source` it to point pelato commands at this lattice
};

UpPlan planUp(const UpOptions& options, const Secrets& secrets, const std::string& trustedIssuer);

// The shell lines of DATA/env: NATS_URL, NATS_USER, NATS_PASSWORD, NATS_HOST, NATS_PORT,
// PELATO_LATTICE, LATTICE, REGISTRY_URL (with namespace `pelato`).
std::string envFileText(const UpOptions& options, const Secrets& secrets);

}  // namespace pelato::up
