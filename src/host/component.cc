#include "host/component.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/log.h"
#include "runtime/task_abi.h"
#include "runtime/wasi_context.h"

namespace pelato::host {

struct Component::Worker {
  std::unique_ptr<runtime::WasiContext> wasi;
  runtime::HostFunctions host;
  std::optional<runtime::TaskRunner> runner;
  std::thread thread;
};

Component::Component(runtime::Module module, Publish publish)
    : module_(std::move(module)), publish_(std::move(publish)) {}

Result<std::unique_ptr<Component>> Component::start(const std::string& path, uint32_t count,
                                                    runtime::Engine& engine, Publish publish) {
  if (count == 0) return fail("a component needs at least one instance");
  if (::access(path.c_str(), R_OK) != 0)
    return fail("cannot read {}: {}", path, std::strerror(errno));
  auto module = runtime::Module::loadFile(path);
  if (!module) return fail(std::move(module.error()).context("invalid module"));
  if (auto ok = runtime::checkTaskAbi(*module); !ok)
    return fail(std::move(ok.error()).context("not a task ABI module"));

  std::unique_ptr<Component> component(new Component(std::move(*module), std::move(publish)));
  for (uint32_t i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>();
    // A task's own stdout goes to the host's stderr, with its logs.
    auto wasi = runtime::WasiContext::create({.args = {path}, .stdoutFd = STDERR_FILENO});
    if (!wasi) return fail(std::move(wasi.error()).context("WASI context"));
    worker->wasi = std::move(*wasi);
    worker->host.add(worker->wasi->functions());
    const runtime::Module& mod = component->module_;
    runtime::HostFunctions& host = worker->host;
    auto runner = runtime::TaskRunner::create(
        [&engine, &mod, &host] { return engine.instantiate(mod, host, runtime::Limits{}); });
    if (!runner) return fail(std::move(runner.error()).context("starting an instance"));
    worker->runner.emplace(std::move(*runner));
    component->workers_.push_back(std::move(worker));
  }
  for (auto& worker : component->workers_)
    worker->thread = std::thread([c = component.get(), w = worker.get()] { c->work(*w); });
  return component;
}

Component::~Component() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_)
    if (worker->thread.joinable()) worker->thread.join();
}

void Component::submit(ComponentJob job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

ComponentCounters Component::counters() const {
  std::lock_guard lock(mutex_);
  return {calls_.load(), errors_.load(), queue_.size()};
}

void Component::work(Worker& worker) {
  while (true) {
    ComponentJob job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    auto output = worker.runner->run(job.input);
    calls_.fetch_add(1);
    if (!output) {
      errors_.fetch_add(1);
      spdlog::warn("component trapped: {}", output.error().describe());
      continue;
    }
    if (!job.destination.empty()) publish_(job.destination, *output);
    if (!job.reply.empty()) publish_(job.reply, *output);
  }
}

}  // namespace pelato::host
