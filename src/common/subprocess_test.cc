#include "common/subprocess.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <unistd.h>

namespace pelato {
namespace {

TEST(Subprocess, CapturesOutputAndExitCode) {
  auto r = runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->exitCode, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
}

TEST(Subprocess, TheChildInheritsNoOtherDescriptor) {
  int fd = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, like a socket nats.c opens
  ASSERT_GE(fd, 3);
  auto r = runProcess({"sh", "-c", fmt::format("test -e /proc/self/fd/{} && echo inherited || echo closed", fd)});
  ::close(fd);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->out, "closed\n");
}

TEST(Subprocess, FeedsStdin) {
  auto r = runProcess({"cat"}, {.stdinData = std::string(200000, 'x')});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out.size(), 200000u);
}

TEST(Subprocess, MissingProgramIsAnError) {
  auto r = runProcess({"pelato-no-such-program"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("pelato-no-such-program"), std::string::npos);
}

TEST(Subprocess, TimeoutStopsTheProgram) {
  auto r = runProcess({"sleep", "10"}, {.timeout = std::chrono::milliseconds(100)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("did not finish"), std::string::npos);
}

TEST(Subprocess, FindOnPathTakesTheFirstExecutable) {
  auto sh = findOnPath("sh", "/nonexistent::/usr/bin:/bin");
  ASSERT_TRUE(sh);
  EXPECT_EQ(*sh, "/usr/bin/sh");
  EXPECT_FALSE(findOnPath("sh", "/nonexistent"));
  EXPECT_FALSE(findOnPath("passwd", "/etc")) << "a file that is not executable does not count";
}

}  // namespace
}  // namespace pelato

namespace pelato {
namespace {

TEST(Subprocess, CancelStopsTheProgram) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto result = runProcess({"sleep", "30"}, {.cancel = &cancel});
  canceller.join();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("cancelled"), std::string::npos) << result.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace pelato
