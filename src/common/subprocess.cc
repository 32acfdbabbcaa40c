#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace pelato {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void closeEnd(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
};

}  // namespace

Result<ProcessResult> runProcess(const std::vector<std::string>& argv,
                                 const ProcessOptions& options) {
  if (argv.empty()) return fail("runProcess: empty command line");
  Pipe in, out, err;
  if (::pipe2(in.fds, O_CLOEXEC) || ::pipe2(out.fds, O_CLOEXEC) || ::pipe2(err.fds, O_CLOEXEC))
    return fail("cannot create pipes: {}", std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  if (options.cwd) posix_spawn_file_actions_addchdir_np(&actions, options.cwd->c_str());
  // The child gets its three pipes and nothing else: an inherited socket (a host's NATS
  // connection) would outlive the parent, so a killed host would still look connected.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return fail("cannot run {}: {} (is it installed? try `make setup`)", argv[0], std::strerror(rc));
  in.closeEnd(0);
  out.closeEnd(1);
  err.closeEnd(1);
  // Never block on the child's stdin: it may be waiting for us to drain its stdout.
  ::fcntl(in.fds[1], F_SETFL, O_NONBLOCK);

  ProcessResult result;
  size_t written = 0;
  if (options.stdinData.empty()) in.closeEnd(1);
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool timedOut = false, cancelled = false;
  while (out.fds[0] >= 0 || err.fds[0] >= 0) {
    std::array<pollfd, 3> fds{{{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}, {in.fds[1], POLLOUT, 0}}};
    int wait = -1;
    if (options.timeout.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timedOut = true;
        break;
      }
      wait = static_cast<int>(left.count());
    }
    if (options.cancel) {
      if (options.cancel->load()) {
        cancelled = true;
        break;
      }
      wait = wait < 0 ? 100 : std::min(wait, 100);
    }
    if (::poll(fds.data(), fds.size(), wait) < 0 && errno != EINTR) break;
    char buf[65536];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      else (i == 0 ? out : err).closeEnd(0);
    }
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t n = ::write(in.fds[1], options.stdinData.data() + written, options.stdinData.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == options.stdinData.size()) in.closeEnd(1);
    }
  }
  if (timedOut || cancelled) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timedOut) return fail("{} did not finish within {} ms and was stopped", argv[0], options.timeout.count());
  if (cancelled) return fail("{} was stopped: cancelled", argv[0]);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Result<void> spawnDetached(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail("spawnDetached: empty command line");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd = 0; fd < 3; ++fd) posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return fail("cannot run {}: {}", argv[0], std::strerror(rc));
  return {};
}

std::optional<std::filesystem::path> findOnPath(std::string_view name, std::string_view pathVariable) {
  for (size_t start = 0; start <= pathVariable.size();) {
    size_t end = std::min(pathVariable.find(':', start), pathVariable.size());
    std::filesystem::path candidate = std::filesystem::path(pathVariable.substr(start, end - start)) / name;
    std::error_code ec;
    if (end > start && std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

Result<pid_t> startBackground(const BackgroundProcess& process) {
  if (process.argv.empty()) return fail("startBackground: empty command line");
  // Everything the child needs is prepared before fork: between fork and exec a child of a
  // threaded process may only make async-signal-safe calls.
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('='));
    bool replaced = std::any_of(process.environment.begin(), process.environment.end(), [&](const std::string& s) {
      return s.size() > key.size() && s.compare(0, key.size(), key) == 0 && s[key.size()] == '=';
    });
    if (!replaced) env.emplace_back(entry);
  }
  env.insert(env.end(), process.environment.begin(), process.environment.end());
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : process.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int log = ::open(process.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return fail("cannot open {}: {}", process.log.string(), std::strerror(errno));
  int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int report[2];  // exec failure's errno comes back through this pipe (closed on exec)
  if (devNull < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    ::close(log);
    if (devNull >= 0) ::close(devNull);
    return fail("cannot start {}: {}", process.argv[0], std::strerror(errno));
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
    if (process.newSession) {
      ::setsid();
    } else {
      ::setpgid(0, 0);
      // Dies with the supervisor, even a SIGKILLed one: no orphaned lattice.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
    }
    ::dup2(devNull, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execvpe(args[0], args.data(), envp.data());
    int error = errno;
    (void)!::write(report[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(report[1]);
  ::close(log);
  ::close(devNull);
  if (pid < 0) {
    ::close(report[0]);
    return fail("cannot start {}: {}", process.argv[0], std::strerror(errno));
  }
  int error = 0;
  ssize_t n = ::read(report[0], &error, sizeof error);
  ::close(report[0]);
  if (n == sizeof error) {
    ::waitpid(pid, nullptr, 0);
    return fail("cannot run {}: {}", process.argv[0], std::strerror(error));
  }
  return pid;
}

}  // namespace pelato
