// What `pelato up` runs, as data (pure): the data directory's layout, the config files it writes
// (nats-server with JetStream, authentication and loopback only; docker-registry), and every
// service's command line and environment, in start order: nats-server, registry, orchestrator,
// the edge and cloud hosts (labels host-type=edge|cloud, trusting the user's signing key), the
// dashboard.
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
  std::string registry = "docker-registry";
};

struct Secrets {
  std::string natsUser = "pelato";
  std::string natsPassword;
  std::string dashboardToken;
};

enum class ServiceKind { Nats, Registry, Orchestrator, Host, Dashboard };

struct ServiceSpec {
  std::string name;  // "nats", "registry", "orchestrator", "edge-1", "cloud-1", "dashboard"
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
  std::string registryAddress;  // host:port
  std::string dashboardUrl;     // with ?token=
  std::filesystem::path envFile;  // `source` it to point pelato commands at this lattice
};

UpPlan planUp(const UpOptions& options, const Secrets& secrets, const std::string& trustedIssuer);

// The shell lines of DATA/env: NATS_URL, NATS_USER, NATS_PASSWORD, NATS_HOST, NATS_PORT,
// PELATO_LATTICE, LATTICE, REGISTRY_URL (with namespace `pelato`).
std::string envFileText(const UpOptions& options, const Secrets& secrets);

}  // namespace pelato::up
