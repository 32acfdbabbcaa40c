#include "up/supervisor.h"

#include <signal.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include "common/subprocess.h"

namespace pelato::up {
namespace {

using namespace std::chrono_literals;

constexpr auto kPoll = 100ms;
constexpr auto kHealthyAfter = 60s;  // a service up this long has stopped failing

std::string describeExit(int status) {
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

}  // namespace

std::chrono::milliseconds restartDelay(unsigned failures) {
  auto delay = 1000ms;
  for (unsigned i = 1; i < failures && delay < 30s; ++i) delay *= 2;
  return std::min<std::chrono::milliseconds>(delay, 30s);
}

Supervisor::Supervisor(std::function<void(const std::string&)> report)
    : report_(std::move(report)), watcher_([this](std::stop_token stop) { watch(stop); }) {}

Supervisor::~Supervisor() { stopAll(5s); }

Result<pid_t> Supervisor::launch(const ServiceSpec& spec) {
  std::error_code ec;
  std::filesystem::create_directories(spec.log.parent_path(), ec);
  return startBackground({.argv = spec.argv, .environment = spec.environment, .log = spec.log});
}

Result<void> Supervisor::start(const ServiceSpec& spec) {
  auto pid = launch(spec);
  if (!pid) return fail(std::move(pid.error()).context(spec.name));
  std::lock_guard lock(mutex_);
  children_.push_back({.spec = spec, .pid = *pid, .startedAt = Clock::now()});
  return {};
}

void Supervisor::watch(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    wake_.wait_for(lock, stop, kPoll, [] { return false; });
    if (stopping_) continue;
    auto now = Clock::now();
    for (auto& c : children_) {
      if (c.pid > 0) {
        int status = 0;
        if (::waitpid(c.pid, &status, WNOHANG) != c.pid) continue;
        c.failures = now - c.startedAt >= kHealthyAfter ? 1 : c.failures + 1;
        auto delay = restartDelay(c.failures);
        report_(fmt::format("{} {}; restarting in {} s (log: {})", c.spec.name, describeExit(status),
                            std::chrono::duration_cast<std::chrono::seconds>(delay).count(), c.spec.log.string()));
        c.pid = 0;
        c.restartAt = now + delay;
      } else if (now >= c.restartAt) {
        auto pid = launch(c.spec);
        if (!pid) {
          c.restartAt = now + restartDelay(++c.failures);
          report_(fmt::format("{}: {}", c.spec.name, pid.error().message()));
          continue;
        }
        c.pid = *pid;
        c.startedAt = now;
        ++c.restarts;
        report_(fmt::format("{} restarted (pid {})", c.spec.name, c.pid));
      }
    }
  }
}

void Supervisor::stopAll(std::chrono::milliseconds grace) {
  std::vector<Child> children;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;  // no restarts from here on
    children = children_;
  }
  watcher_.request_stop();
  watcher_.join();
  // Newest first: the dashboard and hosts leave while NATS is still there to say so.
  for (auto it = children.rbegin(); it != children.rend(); ++it) {
    if (it->pid <= 0) continue;
    ::kill(it->pid, SIGTERM);
    auto deadline = Clock::now() + grace;
    int status = 0;
    while (::waitpid(it->pid, &status, WNOHANG) == 0) {
      if (Clock::now() >= deadline) {
        report_(fmt::format("{} did not stop within {} ms; killing it", it->spec.name, grace.count()));
        ::kill(it->pid, SIGKILL);
        ::waitpid(it->pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  std::lock_guard lock(mutex_);
  for (auto& c : children_) c.pid = 0;
}

std::vector<Supervisor::Status> Supervisor::status() const {
  std::lock_guard lock(mutex_);
  std::vector<Status> out;
  for (const auto& c : children_) out.push_back({c.spec.name, c.pid, c.restarts});
  return out;
}

}  // namespace pelato::up
