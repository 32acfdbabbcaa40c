// A running component: `count` warm task instances (one TaskRunner per worker thread) sharing
// one queue of messages. submit() never blocks; a worker takes the next message, runs
// exec_task, and hands the output to the Publish callback (destination, then the reply
// subject). A trap publishes nothing and counts an error; the TaskRunner replaces the instance.
// Destroying the component lets the workers finish the queued messages first.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "runtime/engine.h"
#include "runtime/module.h"

namespace pelato::host {

struct ComponentJob {
  std::string input;
  std::string destination;  // "" : none
  std::string reply;        // "" : none
};

struct ComponentCounters {
  uint64_t calls = 0;   // completed exec_task calls (traps included)
  uint64_t errors = 0;  // traps
  uint64_t queueDepth = 0;
};

class Component {
 public:
  using Publish = std::function<void(std::string_view subject, std::string_view data)>;

  // Loads `path`, checks the task ABI and starts `count` (>= 1) instances. Errors say which
  // step failed: the file cannot be read, the module is invalid, it is not a task module.
  static Result<std::unique_ptr<Component>> start(const std::string& path, uint32_t count,
                                                  runtime::Engine& engine, Publish publish);
  ~Component();
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  void submit(ComponentJob job);
  uint32_t instances() const { return static_cast<uint32_t>(workers_.size()); }
  ComponentCounters counters() const;

 private:
  struct Worker;
  Component(runtime::Module module, Publish publish);
  void work(Worker& worker);

  runtime::Module module_;
  Publish publish_;
  std::vector<std::unique_ptr<Worker>> workers_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<ComponentJob> queue_;
  bool stopping_ = false;
  std::atomic<uint64_t> calls_{0}, errors_{0};
};

}  // namespace pelato::host
