#include "up/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

namespace pelato::up {
namespace {

TEST(Ports, AnyFreePortAndAPortInUseIsReportedWithTheFlag) {
  auto free = claimPort(0, "nats-server", "--nats-port");
  ASSERT_TRUE(free) << free.error().message();
  EXPECT_GT(*free, 0);
  EXPECT_FALSE(portInUse(*free));
  auto again = claimPort(*free, "nats-server", "--nats-port");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *free);

  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{.sin_family = AF_INET, .sin_port = htons(*free), .sin_addr = {htonl(INADDR_LOOPBACK)}};
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  EXPECT_TRUE(portInUse(*free));
  auto taken = claimPort(*free, "nats-server", "--nats-port");
  ::close(fd);
  ASSERT_FALSE(taken);
  EXPECT_THAT(taken.error().message(),
              ::testing::HasSubstr(fmt::format("port {} (nats-server) is in use", *free)));
  EXPECT_THAT(taken.error().message(), ::testing::HasSubstr("--nats-port"));
}

}  // namespace
}  // namespace pelato::up
