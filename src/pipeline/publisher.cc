#include "pipeline/publisher.h"

#include <fmt/chrono.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "common/file.h"
#include "oci/image_ref.h"
#include "pipeline/task_variables.h"

namespace pelato::pipeline {
namespace {

// Pushes in flight at once (docker push uploads 5 layers at a time by default).
constexpr size_t kPushConnections = 4;

std::string rfc3339(std::filesystem::file_time_type time) {
  auto system = std::chrono::file_clock::to_sys(time);
  return fmt::format("{:%FT%TZ}", std::chrono::floor<std::chrono::seconds>(system));
}

Result<void> checkRegistrySettings(const Project& project) {
  if (project.settings.registryUrl.empty())
    return fail("REGISTRY_URL is not set: put e.g. REGISTRY_URL=127.0.0.1:5000/{} in {}/.env or the environment",
                applicationName(project.workflow), project.dir.string());
  for (const auto& task : project.workflow.tasks)
    if (auto ref = oci::parseImageRef(imageRef(task, project.settings)); !ref)
      return fail(std::move(ref.error()).context(fmt::format("REGISTRY_URL={} gives no valid image ref for {}",
                                                             project.settings.registryUrl, task.componentName)));
  return {};
}

// Pushes one built task with `client`.
Result<PushedTask> pushOne(oci::RegistryClient& client, const Project& project, const BuiltTask& b) {
  std::string image = imageRef(b.task.task, project.settings);
  auto ref = oci::parseImageRef(image);
  if (!ref) return fail(std::move(ref.error()));
  auto bytes = readFile(b.module);
  if (!bytes) return fail(std::move(bytes.error()));
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(b.module, ec);
  oci::WasmPushRequest request{.module = *bytes,
                               .title = b.task.task.componentName + ".wasm",
                               .created = ec ? "" : rfc3339(mtime),
                               .annotations = {{"org.opencontainers.image.title", b.task.task.name},
                                               {"org.opencontainers.image.version", b.task.task.version}}};
  auto pushed = client.pushWasm(*ref, request);
  if (!pushed) return fail(std::move(pushed.error()).context(fmt::format("pushing {}", image)));
  return PushedTask{.component = b.task.task.componentName, .image = image,
                    .manifestDigest = pushed->manifestDigest, .blobsUploaded = pushed->blobsUploaded};
}

}  // namespace

Result<void> checkRegistry(const Project& project, const oci::RegistryOptions& registry) {
  if (auto ok = checkRegistrySettings(project); !ok) return ok;
  if (project.workflow.tasks.empty()) return {};
  auto client = oci::RegistryClient::create(registry);
  if (!client) return fail(std::move(client.error()));
  auto ref = oci::parseImageRef(imageRef(project.workflow.tasks.front(), project.settings));
  if (!ref) return fail(std::move(ref.error()));
  return client->checkAccess(*ref);
}

Result<std::vector<PushedTask>> pushAll(const Project& project, const std::vector<BuiltTask>& built,
                                        const oci::RegistryOptions& registry) {
  if (auto ok = checkRegistrySettings(project); !ok) return fail(std::move(ok.error()));
  // Several pushes at once, each worker with its own client (connection): a push is 3 (every
  // blob there) to 7 round trips, and one after the other 20 tasks took 0.6 s (no-op) to 1.8 s
  // (cold) against a local docker-registry (bench/brush).
  std::vector<Result<PushedTask>> outcomes(built.size(), Result<PushedTask>(fail("not pushed")));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto client = oci::RegistryClient::create(registry);
    for (size_t i = next++; i < built.size(); i = next++) {
      if (!client) {
        outcomes[i] = fail("{}", client.error().message());
        continue;
      }
      outcomes[i] = pushOne(*client, project, built[i]);
    }
  };
  size_t threads = std::min(kPushConnections, built.size());
  {
    std::vector<std::jthread> pool;
    for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
  }
  std::vector<PushedTask> out;
  for (auto& outcome : outcomes) {
    if (!outcome) return fail(std::move(outcome.error()));  // the first task's failure, in workflow order
    out.push_back(std::move(*outcome));
  }
  return out;
}

}  // namespace pelato::pipeline
