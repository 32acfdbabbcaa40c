// A GoogleTest fixture with a real nats-server (JetStream on, a free port, a private store) and
// a client connected to it; the test is skipped, saying why, where nats-server is not installed.
//
//   class MyTest : public testing::NatsTest {};
//   TEST_F(MyTest, X) { client_->publish(...); auto other = connect("other"); }
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "lattice/nats_client.h"
#include "support/nats_server.h"

namespace pelato::testing {

class NatsTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;  // the client before the server

  // Another connection to the server (named after the test unless `name` is given).
  std::unique_ptr<lattice::NatsClient> connect(std::string name = {});

  std::unique_ptr<NatsServer> server_;
  std::unique_ptr<lattice::NatsClient> client_;
};

}  // namespace pelato::testing
