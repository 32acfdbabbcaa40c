#include "support/nats_test.h"

namespace pelato::testing {

void NatsTest::SetUp() {
  if (!NatsServer::findBinary())
    GTEST_SKIP() << "nats-server is not installed (Debian package nats-server; scripts/setup installs it)";
  auto server = NatsServer::start();
  ASSERT_TRUE(server) << server.error().message();
  server_ = std::move(*server);
  client_ = connect();
  ASSERT_TRUE(client_);
}

void NatsTest::TearDown() { client_.reset(); }

std::unique_ptr<lattice::NatsClient> NatsTest::connect(std::string name) {
  if (name.empty()) name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  auto client = lattice::NatsClient::connect({.url = server_->url(), .name = std::move(name)});
  EXPECT_TRUE(client) << client.error().message();
  return client ? std::move(*client) : nullptr;
}

}  // namespace pelato::testing
