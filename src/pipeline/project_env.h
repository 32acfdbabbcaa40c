// A project's settings, with the thesis's names: REGISTRY_URL, REGISTRY_USER,
// REGISTRY_PASSWORD, PARALLEL_BUILD, NATS_HOST, NATS_PORT, ENABLE_METRICS, plus LATTICE. They
// come from DIR/.env, and an environment variable of the same name overrides the file (so CI
// can inject secrets). Pure: the caller passes the environment in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pipeline/env_file.h"

namespace pelato::pipeline {

using Environment = std::map<std::string, std::string, std::less<>>;

inline constexpr std::string_view kEnvFileName = ".env";

struct ProjectSettings {
  // host[:port][/namespace] without a scheme: images are REGISTRY_URL/<component>:<version>.
  // Empty until set; only build (push) needs it.
  std::string registryUrl;
  std::string registryUser;
  std::string registryPassword;
  // How many tasks build at once (1 = one after the other). PARALLEL_BUILD=True (the thesis's
  // default) means one per core; False means 1; a number asks for that many, up to the cores.
  unsigned parallelBuild = 1;
  std::string natsHost = "127.0.0.1";
  uint16_t natsPort = 4222;
  bool enableMetrics = false;  // append each run to DIR/metrics.yaml
  std::string lattice = "default";
  bool operator==(const ProjectSettings&) const = default;
};

// The names resolveSettings reads, in the thesis's order.
std::vector<std::string_view> settingNames();

// Settings from parsed .env entries (`envFile` names the file in messages) overridden by
// `environment`. An empty value means the default. `cores` is the machine's core count (at
// least 1), which bounds PARALLEL_BUILD. Unknown keys in the file are errors (a typo such as
// NATS_POST would otherwise be ignored); the environment's other variables are not looked at.
Result<ProjectSettings> resolveSettings(const std::vector<EnvEntry>& file, std::string_view envFile,
                                        const Environment& environment, unsigned cores);

// Reads DIR/.env if there is one (a project needs none), then resolves as above.
Result<ProjectSettings> loadProjectSettings(const std::filesystem::path& projectDir,
                                            const Environment& environment, unsigned cores);

}  // namespace pelato::pipeline
