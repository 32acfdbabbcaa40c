#include "support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace pelato::testing {

using namespace std::chrono_literals;

Result<std::unique_ptr<ChildProcess>> ChildProcess::start(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail("ChildProcess::start: no program given");
  int fds[2];
  // Close-on-exec, so that other children started later do not hold the pipe open.
  if (pipe2(fds, O_CLOEXEC) != 0) return fail("pipe: {}", std::strerror(errno));
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return fail("fork: {}", std::strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(fds[1], STDOUT_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fds[0]));
}

ChildProcess::~ChildProcess() {
  if (!exitCode_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(out_);
}

bool ChildProcess::readSome(std::chrono::milliseconds wait) {
  pollfd p{out_, POLLIN, 0};
  int ready = poll(&p, 1, static_cast<int>(wait.count()));
  if (ready <= 0) return true;  // nothing yet (or EINTR): not the end
  char buffer[4096];
  ssize_t n = read(out_, buffer, sizeof buffer);
  if (n <= 0) return n < 0 && errno == EINTR;
  output_.append(buffer, static_cast<size_t>(n));
  return true;
}

bool ChildProcess::waitForOutput(std::string_view text, std::chrono::milliseconds timeout, size_t count) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (countOccurrences(output_, text) < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    if (!readSome(std::min(left, 100ms))) return countOccurrences(output_, text) >= count;
  }
  return true;
}

std::string ChildProcess::output() {
  while (true) {
    size_t before = output_.size();
    if (!readSome(0ms) || output_.size() == before) break;
  }
  return output_;
}

void ChildProcess::signal(int sig) {
  if (!exitCode_) kill(pid_, sig);
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto code = waitExit(grace)) return *code;
  signal(SIGKILL);
  return waitExit(std::chrono::hours(1)).value_or(128 + SIGKILL);
}

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exitCode_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(20ms);
  }
  return exitCode_;
}

size_t countOccurrences(std::string_view haystack, std::string_view text) {
  if (text.empty()) return 0;
  size_t count = 0;
  for (size_t at = haystack.find(text); at != std::string_view::npos; at = haystack.find(text, at + text.size()))
    ++count;
  return count;
}

}  // namespace pelato::testing
