#include "up/supervisor.h"

#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "common/file.h"

namespace pelato::up {
namespace {

using namespace std::chrono_literals;

TEST(Supervisor, RestartDelayDoublesUpToThirtySeconds) {
  EXPECT_EQ(restartDelay(1), 1000ms);
  EXPECT_EQ(restartDelay(2), 2000ms);
  EXPECT_EQ(restartDelay(4), 8000ms);
  EXPECT_EQ(restartDelay(6), 30000ms);
  EXPECT_EQ(restartDelay(100), 30000ms);
}

TEST(Supervisor, ADeadServiceIsRestartedAndStopAllStopsEverything) {
  auto tmp = TempDir::create("supervisor");
  ASSERT_TRUE(tmp);
  std::vector<std::string> reports;
  std::mutex mutex;
  Supervisor supervisor([&](const std::string& line) {
    std::lock_guard lock(mutex);
    reports.push_back(line);
  });
  ASSERT_TRUE(supervisor.start({.name = "sleeper", .argv = {"sleep", "60"}, .log = tmp->path() / "logs" / "s.log"}));
  pid_t first = supervisor.status()[0].pid;
  ASSERT_GT(first, 0);
  ::kill(first, SIGKILL);
  // Restarted after ~1 s.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (supervisor.status()[0].restarts == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  auto status = supervisor.status()[0];
  EXPECT_EQ(status.restarts, 1u);
  EXPECT_GT(status.pid, 0);
  EXPECT_NE(status.pid, first);
  {
    std::lock_guard lock(mutex);
    ASSERT_FALSE(reports.empty());
    EXPECT_NE(reports[0].find("sleeper killed by signal 9; restarting in 1 s"), std::string::npos) << reports[0];
  }
  pid_t second = status.pid;
  supervisor.stopAll(2s);
  EXPECT_NE(::kill(second, 0), 0) << "still running after stopAll";
  EXPECT_EQ(supervisor.status()[0].pid, 0);
}

TEST(Supervisor, AProgramThatCannotStartIsAnError) {
  Supervisor supervisor([](const std::string&) {});
  auto started = supervisor.start({.name = "ghost", .argv = {"/nonexistent/program"}, .log = "/tmp/pelato-ghost.log"});
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message().find("ghost: cannot run /nonexistent/program"), std::string::npos)
      << started.error().message();
}

}  // namespace
}  // namespace pelato::up
