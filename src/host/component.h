// A running component: `instances` warm task instances (one TaskRunner per worker thread)
// sharing one queue of jobs. submit() never blocks; a worker takes the next job, runs
// exec_task and hands the outcome to the job's `done` callback or its `sink` (on the worker
// thread), which publishes, replies or acknowledges as the job's source requires.
//
// Supervision: a trap fails only its own job and the TaskRunner replaces the instance. A
// component that traps too often is suspended (RestartBudget): jobs fail at once with a
// "suspended" error until the backoff ends, and `onSuspended` reports it. Destroying the
// component lets the workers finish the queued jobs first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "host/restart_budget.h"
#include "lattice/nats_client.h"
#include "runtime/engine.h"
#include "runtime/host_function.h"
#include "runtime/module.h"

namespace pelato::host {

// exec_task's output, or why there is none (a trap, a suspension).
using JobResult = Result<std::string>;

struct ComponentJob;

// Where the outcomes of a source's jobs go, without anything allocated per job: one sink per
// source, shared by its jobs. `output` lives in the instance's memory and is valid only during
// the call.
class JobSink {
 public:
  virtual ~JobSink() = default;
  virtual void done(const ComponentJob& job, const Result<std::string_view>& output) const = 0;
};

struct ComponentJob {
  std::string input;              // the input, unless `message` carries it
  lattice::NatsReceived message;  // a received message whose data is the input (not copied)
  std::function<void(JobResult)> done;  // may be empty; gets a copy of the output
  std::shared_ptr<const JobSink> sink;  // used instead of `done` when set
  // When set, the job is not a message: the worker runs this on its instance between two calls
  // (snapshots, restores). The instance is null if the last trap's restart failed.
  std::function<void(runtime::Instance* instance)> control;

  std::string_view bytes() const { return message ? message.data() : std::string_view(input); }
};

// A source a single-instance component's worker reads itself (Component::attach): a core NATS
// queue subscription, and where the outcomes of its messages go.
struct DirectSource {
  std::unique_ptr<lattice::NatsSyncSubscription> subscription;
  std::shared_ptr<const JobSink> sink;
};

struct ComponentCounters {
  uint64_t calls = 0;   // completed exec_task calls (traps included)
  uint64_t errors = 0;  // traps
  uint64_t queueDepth = 0;
  uint64_t restarts = 0;     // instances replaced after traps
  uint64_t suspensions = 0;  // times the restart budget ran out
};

// Series a component updates on every call (optional; the host's MetricsRegistry hands them out).
struct ComponentMetrics {
  std::shared_ptr<Counter> calls;
  std::shared_ptr<Counter> traps;
  std::shared_ptr<Histogram> latency;  // seconds per exec_task call
};

struct ComponentOptions {
  std::string id;  // for logs and errors
  uint32_t instances = 1;
  RestartOptions supervision;
  // Called on a worker thread when the component is suspended; `reason` says why and for how long.
  std::function<void(const std::string& reason)> onSuspended;
  // Adds host functions beyond WASI to each instance's imports (e.g. key-value when linked).
  std::function<void(runtime::HostFunctions&)> addImports;
  ComponentMetrics metrics;
};

class Component {
 public:
  // Checks the task ABI and starts the instances; fails saying why ("not a task ABI module: …",
  // a missing import, an instance that cannot start).
  static Result<std::unique_ptr<Component>> start(runtime::Module module, ComponentOptions options,
                                                  runtime::Engine& engine);
  ~Component();
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  void submit(ComponentJob job);
  // Has the worker read `source` itself, between the queue's jobs, instead of having a nats.c
  // delivery thread hand each message over through the queue: one thread hand-off less per
  // message. Only for a single instance (fails otherwise). The component keeps the source until
  // it has read it to the end: drain its subscription to let it go without losing a message.
  // While the worker waits on the source, queued jobs wait for its next wake-up (at most
  // kDirectWaitMax): nats.c cannot wake a thread waiting for a message otherwise.
  Result<void> attach(std::shared_ptr<DirectSource> source);
  static constexpr std::chrono::milliseconds kDirectWaitMax{10};
  uint32_t instances() const { return static_cast<uint32_t>(workers_.size()); }
  // The state of a single-instance component, taken between two calls once the jobs queued
  // before have run; restore() applies one the same way (before any message, when called
  // before its sources open). Both wait for the worker.
  Result<runtime::InstanceSnapshot> snapshot();
  Result<void> restore(const runtime::InstanceSnapshot& snapshot);
  ComponentCounters counters() const;
  // Whether jobs fail at once now because of a suspension (a source may stop fetching).
  bool suspended() const;

 private:
  struct Worker;
  Component(runtime::Module module, ComponentOptions options);
  void work(Worker& worker);
  using Clock = std::chrono::steady_clock;
  // Runs one job; `mark` is when the call started (taken as the time it ends, for the next).
  Result<std::string_view> runJob(Worker& worker, std::string_view input, Clock::time_point& mark);
  void addTallies(Worker& worker);
  // Reads what the direct sources have (waiting up to `wait` on the newest when nothing is
  // there); false when nothing came.
  bool readDirect(Worker& worker, std::chrono::milliseconds wait);
  // Runs `action` on the single instance between two calls and waits for its outcome.
  template <typename T>
  Result<T> onInstance(std::function<Result<T>(runtime::Instance&)> action);

  runtime::Module module_;
  ComponentOptions options_;
  std::vector<std::unique_ptr<Worker>> workers_;

  mutable std::mutex mutex_;  // guards the queue, stopping_ and idle_
  std::condition_variable wake_;
  std::deque<ComponentJob> queue_;
  bool stopping_ = false;
  size_t idle_ = 0;  // workers waiting for a job
  // The direct sources (the newest last) and their version: the worker copies the list only
  // when it changed. Guarded by mutex_; only the one worker reads from them.
  std::vector<std::shared_ptr<DirectSource>> direct_;
  uint64_t directVersion_ = 0;

  mutable std::mutex budgetMutex_;  // guards budget_
  RestartBudget budget_;
  std::atomic<bool> trapped_{false};     // a trap since the last success
  std::atomic<bool> suspending_{false};  // a suspension may be running
  std::atomic<uint64_t> calls_{0}, errors_{0}, restarts_{0};
};

}  // namespace pelato::host
