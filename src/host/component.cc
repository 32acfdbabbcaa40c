#include "host/component.h"

#include <unistd.h>

#include <algorithm>
#include <future>
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
  // Calls not yet added to the shared counters and metrics: they are added once per batch, as
  // atomic additions on every message cost more than the rest of the bookkeeping.
  uint64_t calls = 0;
  std::vector<double> seconds;
  // The worker's copy of the component's direct sources (see Component::attach) and its version.
  std::vector<std::shared_ptr<DirectSource>> direct;
  uint64_t directVersion = 0;
};

namespace {

using namespace std::chrono_literals;

// Messages read from one direct source before the worker looks at its queue again: a queued job
// (an rpc call, an HTTP request) waits at most this many calls behind a busy subscription.
constexpr int kDirectBurst = 64;
// How long a stopping component waits for its direct sources to drain before dropping them.
constexpr auto kDirectDrainTimeout = 10s;

}  // namespace

Component::Component(runtime::Module module, ComponentOptions options)
    : module_(std::move(module)), options_(std::move(options)), budget_(options_.supervision) {}

Result<std::unique_ptr<Component>> Component::start(runtime::Module module, ComponentOptions options,
                                                    runtime::Engine& engine) {
  if (options.instances == 0) return fail("a component needs at least one instance");
  if (auto ok = runtime::checkTaskAbi(module); !ok)
    return fail(std::move(ok.error()).context("not a task ABI module"));

  std::unique_ptr<Component> component(new Component(std::move(module), std::move(options)));
  for (uint32_t i = 0; i < component->options_.instances; ++i) {
    auto worker = std::make_unique<Worker>();
    // A task's own stdout goes to the host's stderr, with its logs.
    auto wasi = runtime::WasiContext::create({.args = {component->options_.id}, .stdoutFd = STDERR_FILENO});
    if (!wasi) return fail(std::move(wasi.error()).context("WASI context"));
    worker->wasi = std::move(*wasi);
    worker->host.add(worker->wasi->functions());
    if (component->options_.addImports) component->options_.addImports(worker->host);
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

Result<void> Component::attach(std::shared_ptr<DirectSource> source) {
  if (!source || !source->subscription || !source->sink)
    return fail("component {}: an empty direct source", options_.id);
  // Several workers would each wait on the subscription in turn: only one worker reads it.
  if (workers_.size() != 1)
    return fail("component {}: a direct source needs a single instance, not {}", options_.id, workers_.size());
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail("component {} is stopping", options_.id);
    direct_.push_back(std::move(source));
    ++directVersion_;
  }
  wake_.notify_all();  // a worker waiting for jobs now waits on the source instead
  return {};
}

void Component::submit(ComponentJob job) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    wake = idle_ > 0;  // busy workers come back for it by themselves
  }
  if (wake) wake_.notify_one();
}

template <typename T>
Result<T> Component::onInstance(std::function<Result<T>(runtime::Instance&)> action) {
  // One instance's state is the component's: with several, which one would it be?
  if (workers_.size() != 1)
    return fail("component {} runs {} instances; a stateful component runs one", options_.id, workers_.size());
  auto outcome = std::make_shared<std::promise<Result<T>>>();
  auto future = outcome->get_future();
  submit({.control = [outcome, action = std::move(action), id = options_.id](runtime::Instance* instance) {
    if (!instance) outcome->set_value(fail("component {} has no instance (its last restart failed)", id));
    else outcome->set_value(action(*instance));
  }});
  return future.get();
}

Result<runtime::InstanceSnapshot> Component::snapshot() {
  return onInstance<runtime::InstanceSnapshot>([](runtime::Instance& instance) { return instance.snapshot(); });
}

Result<void> Component::restore(const runtime::InstanceSnapshot& snapshot) {
  return onInstance<void>([&snapshot](runtime::Instance& instance) { return instance.restore(snapshot); });
}

ComponentCounters Component::counters() const {
  ComponentCounters counters{.calls = calls_.load(), .errors = errors_.load(), .restarts = restarts_.load()};
  {
    std::lock_guard lock(mutex_);
    counters.queueDepth = queue_.size();
    for (const auto& source : direct_) counters.queueDepth += source->subscription->pending();
  }
  std::lock_guard lock(budgetMutex_);
  counters.suspensions = budget_.suspensions();
  return counters;
}

bool Component::suspended() const {
  if (!suspending_.load(std::memory_order_relaxed)) return false;
  std::lock_guard lock(budgetMutex_);
  return budget_.suspended(RestartBudget::Clock::now());
}

void Component::work(Worker& worker) {
  std::vector<ComponentJob> batch;
  // How long to wait on the direct sources when there is nothing to do: short while messages
  // come, growing while idle (fewer wake-ups) up to what a queued job may have to wait.
  std::chrono::milliseconds wait = 1ms;
  std::optional<Clock::time_point> drainDeadline;  // when stopping with direct sources
  while (true) {
    batch.clear();
    bool drainNow = false;
    {
      std::unique_lock lock(mutex_);
      if (direct_.empty()) {
        ++idle_;
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || !direct_.empty(); });
        --idle_;
        if (queue_.empty() && direct_.empty()) return;  // stopping, and everything queued is done
      } else if (stopping_) {
        // The sources' feeds drained them already, unless the component goes first: then it
        // drains them itself, and reads them to the end (within a bound: a drain needs the server).
        if (!drainDeadline) {
          drainDeadline = Clock::now() + kDirectDrainTimeout;
          drainNow = true;
        } else if (Clock::now() > *drainDeadline) {
          spdlog::warn("component {}: {} subscription(s) not drained within {} s; dropping them", options_.id,
                       direct_.size(), kDirectDrainTimeout.count());
          direct_.clear();
          ++directVersion_;
        }
      }
      if (directVersion_ != worker.directVersion) {
        worker.direct = direct_;
        worker.directVersion = directVersion_;
      }
      // A fair share of the queue per lock taken: fewer lock round trips under load, and the
      // other workers still get theirs.
      size_t take = queue_.empty() ? 0 : std::max<size_t>(1, std::min<size_t>(32, queue_.size() / workers_.size()));
      for (size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (drainNow)
      for (auto& source : worker.direct) source->subscription->drain();
    // One clock read per call: a call's end is the next one's start. After a sink that includes
    // its publishing (well under a microsecond, far below the smallest latency bucket); after a
    // `done` callback, which may take longer, the clock is read again.
    const bool timed = options_.metrics.latency != nullptr;
    Clock::time_point mark = timed ? Clock::now() : Clock::time_point{};
    for (size_t i = 0; i < batch.size(); ++i) {
      ComponentJob& job = batch[i];
      if (job.control) {
        if (i + 1 == batch.size()) addTallies(worker);
        job.control(worker.runner->instance());
        continue;
      }
      Result<std::string_view> output = runJob(worker, job.bytes(), mark);
      // Before the batch's last outcome goes out, so that whoever waits for it sees the call
      // counted.
      if (i + 1 == batch.size()) addTallies(worker);
      if (job.sink) {
        job.sink->done(job, output);
      } else {
        if (job.done) job.done(output ? JobResult(std::string(*output)) : JobResult(fail(output.error())));
        if (timed) mark = Clock::now();
      }
    }
    if (worker.direct.empty()) continue;
    // Wait on the sources only with no job in hand: a busy queue is looked at again at once.
    if (readDirect(worker, batch.empty() ? wait : 0ms)) wait = 1ms;
    else if (batch.empty()) wait = std::min(wait * 2, kDirectWaitMax);
  }
}

bool Component::readDirect(Worker& worker, std::chrono::milliseconds wait) {
  const bool timed = options_.metrics.latency != nullptr;
  Clock::time_point mark{};
  bool got = false;
  std::vector<const DirectSource*> finished;
  // The older sources are draining (a feed replaced): the newest is waited on, they are not. A
  // drained subscription tells that it is done only to a read with a timeout (nats.c), so they
  // get the shortest: it is not waited for when messages are there.
  for (size_t i = 0; i < worker.direct.size(); ++i) {
    const DirectSource& source = *worker.direct[i];
    bool newest = i + 1 == worker.direct.size();
    auto next = source.subscription->next(!newest ? 1ms : got ? 0ms : wait);
    if (timed && next && *next) mark = Clock::now();  // a call's time leaves out the wait
    for (int n = 1; next && *next; ++n) {
      got = true;
      ComponentJob job{.message = std::move(*next)};
      Result<std::string_view> output = runJob(worker, job.bytes(), mark);
      // Looks ahead before the outcome goes out, so that the tallies are added before the last
      // outcome of a burst (as after a batch of the queue). `output` lives in the instance's
      // memory, which reading a message does not touch.
      if (n < kDirectBurst) next = source.subscription->next(0ms);
      else next = lattice::NatsReceived();  // back to the queue; the rest is read next time
      if (!next || !*next) addTallies(worker);
      source.sink->done(job, output);
    }
    if (!next) {
      spdlog::debug("component {}: direct source {} done: {}", options_.id, source.subscription->subject(),
                    next.error().message());
      finished.push_back(&source);
    }
  }
  if (!finished.empty()) {
    std::lock_guard lock(mutex_);
    std::erase_if(direct_, [&](const auto& s) { return std::ranges::find(finished, s.get()) != finished.end(); });
    ++directVersion_;
  }
  return got;
}

void Component::addTallies(Worker& worker) {
  if (worker.calls == 0) return;
  calls_.fetch_add(worker.calls, std::memory_order_relaxed);
  const ComponentMetrics& metrics = options_.metrics;
  if (metrics.calls) metrics.calls->inc(worker.calls);
  if (metrics.latency) metrics.latency->observe(worker.seconds);
  worker.calls = 0;
  worker.seconds.clear();
}

Result<std::string_view> Component::runJob(Worker& worker, std::string_view input, Clock::time_point& mark) {
  // The budget is consulted only around traps and suspensions: a healthy component's calls take
  // no lock and read no clock for it.
  if (suspending_.load(std::memory_order_relaxed)) {
    auto now = RestartBudget::Clock::now();
    std::lock_guard lock(budgetMutex_);
    if (budget_.suspended(now)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(budget_.suspendedUntil() - now);
      return fail("component {} is suspended for another {} ms after repeated traps", options_.id, left.count());
    }
    suspending_ = false;
  }
  size_t restartsBefore = worker.runner->restarts();
  const ComponentMetrics& metrics = options_.metrics;
  auto output = worker.runner->runInPlace(input);
  ++worker.calls;
  if (metrics.latency) {
    auto ended = Clock::now();
    worker.seconds.push_back(std::chrono::duration<double>(ended - mark).count());
    mark = ended;
  }
  if (output) {
    if (trapped_.load(std::memory_order_relaxed)) {
      std::lock_guard lock(budgetMutex_);
      budget_.onSuccess();
      trapped_ = false;
    }
    return *output;
  }
  errors_.fetch_add(1);
  if (metrics.traps) metrics.traps->inc();
  restarts_.fetch_add(worker.runner->restarts() - restartsBefore);  // only a trap replaces an instance
  std::string why = output.error().describe();
  spdlog::warn("component {} trapped: {}", options_.id, why);
  std::optional<std::chrono::milliseconds> suspension;
  {
    std::lock_guard lock(budgetMutex_);
    trapped_ = true;
    suspension = budget_.onTrap(RestartBudget::Clock::now());
    if (suspension) suspending_ = true;
  }
  if (suspension && options_.onSuspended)
    options_.onSuspended(fmt::format("{} traps in {} s (last: {}); suspended for {} ms",
                                     options_.supervision.maxTraps + 1,
                                     options_.supervision.window.count() / 1000, why, suspension->count()));
  if (metrics.latency) mark = Clock::now();  // the next call's time leaves out this bookkeeping
  return fail("trap: {}", why);
}

}  // namespace pelato::host
