// Integration tests against a real nats-server (tests/support/nats_server.h). Skipped, with a
// message, only when nats-server is not installed.
#include "lattice/nats_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "support/nats_server.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

// Messages received by handlers on nats.c's threads, waited for by the test thread.
class Inbox {
 public:
  NatsClient::Handler handler(std::string tag = {}) {
    return [this, tag](NatsMessage m) {
      std::lock_guard lock(mutex_);
      messages_.push_back({tag, std::move(m)});
      changed_.notify_all();
    };
  }
  bool waitFor(size_t count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  }
  std::vector<std::pair<std::string, NatsMessage>> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  size_t size() {
    std::lock_guard lock(mutex_);
    return messages_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, NatsMessage>> messages_;
};

class NatsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::NatsServer::findBinary())
      GTEST_SKIP()
          << "nats-server is not installed (Debian package nats-server; scripts/setup installs it)";
    auto server = testing::NatsServer::start();
    ASSERT_TRUE(server) << server.error().message();
    server_ = std::move(*server);
  }

  std::unique_ptr<NatsClient> connect(NatsOptions options = {}) {
    options.url = server_->url();
    if (options.name.empty())
      options.name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto client = NatsClient::connect(std::move(options));
    EXPECT_TRUE(client) << client.error().message();
    return client ? std::move(*client) : nullptr;
  }

  std::unique_ptr<testing::NatsServer> server_;
};

TEST_F(NatsClientTest, PublishSubscribe) {
  auto client = connect();
  ASSERT_TRUE(client);
  EXPECT_TRUE(client->connected());
  Inbox inbox;
  auto sub = client->subscribe("pelato.test.>", inbox.handler());
  ASSERT_TRUE(sub) << sub.error().message();
  ASSERT_TRUE(client->flush());

  auto other = connect();
  ASSERT_TRUE(other);
  std::string binary("a\0b\xff", 4);
  ASSERT_TRUE(other->publish("pelato.test.one", "hello"));
  ASSERT_TRUE(other->publish("pelato.test.two.deep", binary));
  ASSERT_TRUE(other->publish("pelato.other", "not for us"));
  ASSERT_TRUE(other->flush());
  ASSERT_TRUE(inbox.waitFor(2));
  std::this_thread::sleep_for(50ms);
  auto got = inbox.messages();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].second.subject, "pelato.test.one");
  EXPECT_EQ(got[0].second.data, "hello");
  EXPECT_EQ(got[0].second.reply, "");
  EXPECT_EQ(got[1].second.subject, "pelato.test.two.deep");
  EXPECT_EQ(got[1].second.data, binary);

  sub->unsubscribe();
  ASSERT_TRUE(client->flush());
  ASSERT_TRUE(other->publish("pelato.test.one", "after unsubscribe"));
  ASSERT_TRUE(other->flush());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(inbox.size(), 2u);
}

TEST_F(NatsClientTest, QueueGroupSplitsMessages) {
  auto a = connect();
  auto b = connect();
  auto publisher = connect();
  ASSERT_TRUE(a && b && publisher);
  Inbox inbox;
  auto subA = a->queueSubscribe("work.items", "workers", inbox.handler("a"));
  auto subB = b->queueSubscribe("work.items", "workers", inbox.handler("b"));
  ASSERT_TRUE(subA && subB);
  ASSERT_TRUE(a->flush() && b->flush());

  constexpr int kMessages = 400;
  for (int i = 0; i < kMessages; ++i)
    ASSERT_TRUE(publisher->publish("work.items", std::to_string(i)));
  ASSERT_TRUE(publisher->flush());
  ASSERT_TRUE(inbox.waitFor(kMessages));
  std::this_thread::sleep_for(100ms);

  std::map<std::string, int> perMember;
  std::vector<int> seen(kMessages, 0);
  for (const auto& [tag, m] : inbox.messages()) {
    perMember[tag]++;
    seen.at(std::stoi(m.data))++;
  }
  EXPECT_EQ(inbox.size(), size_t(kMessages)) << "a message went to both members";
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(seen[i], 1) << "message " << i;
  // Both members got a real share (the server picks members at random).
  EXPECT_GT(perMember["a"], kMessages / 10);
  EXPECT_GT(perMember["b"], kMessages / 10);

  EXPECT_FALSE(a->queueSubscribe("work.items", "", inbox.handler()));
}

TEST_F(NatsClientTest, RequestReply) {
  auto server = connect();
  auto client = connect();
  ASSERT_TRUE(server && client);
  NatsClient* responder = server.get();
  auto sub = server->subscribe("svc.upper", [responder](NatsMessage m) {
    std::string upper = m.data;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(responder->respond(m, upper));
  });
  ASSERT_TRUE(sub);
  ASSERT_TRUE(server->flush());

  auto reply = client->request("svc.upper", "hello lattice", 2s);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->data, "HELLO LATTICE");

  auto none = client->request("svc.nobody", "x", 2s);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no responders"), std::string::npos)
      << none.error().message();

  // A subscriber that never answers: the request times out.
  auto silent = server->subscribe("svc.silent", [](NatsMessage) {});
  ASSERT_TRUE(silent && server->flush());
  auto timedOut = client->request("svc.silent", "x", 200ms);
  ASSERT_FALSE(timedOut);
  EXPECT_NE(timedOut.error().message().find("no reply within 200 ms"), std::string::npos)
      << timedOut.error().message();

  EXPECT_FALSE(client->respond(NatsMessage{.subject = "s", .reply = "", .data = ""}, "x"));
}

TEST_F(NatsClientTest, ReconnectsAfterServerRestart) {
  std::atomic<int> disconnected{0}, reconnected{0};
  NatsOptions options;
  options.reconnectDelay = 10ms;
  options.reconnectDelayMax = 20ms;
  options.onDisconnected = [&] { disconnected++; };
  options.onReconnected = [&] { reconnected++; };
  auto client = connect(std::move(options));
  ASSERT_TRUE(client);
  Inbox inbox;
  auto sub = client->subscribe("after.restart", inbox.handler());
  ASSERT_TRUE(sub && client->flush());

  ASSERT_TRUE(server_->stop(/*hard=*/true));  // a crash, not a clean shutdown
  for (int i = 0; i < 200 && client->connected(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(client->connected());
  // Longer than nats.c's default 60 reconnect attempts at this delay: it must keep trying.
  std::this_thread::sleep_for(2s);
  ASSERT_TRUE(server_->restart()) << server_->log();

  for (int i = 0; i < 500 && client->reconnects() == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(client->reconnects(), 1u) << "the client did not reconnect by itself";
  EXPECT_TRUE(client->connected());
  EXPECT_GE(client->disconnects(), 1u);
  EXPECT_EQ(reconnected.load(), 1);
  EXPECT_GE(disconnected.load(), 1);

  // The subscription came back with the connection.
  ASSERT_TRUE(client->flush());
  auto publisher = connect();
  ASSERT_TRUE(publisher);
  ASSERT_TRUE(publisher->publish("after.restart", "still here"));
  ASSERT_TRUE(publisher->flush());
  ASSERT_TRUE(inbox.waitFor(1));
  EXPECT_EQ(inbox.messages()[0].second.data, "still here");
}

TEST_F(NatsClientTest, UnsubscribeWaitsForARunningHandler) {
  auto client = connect();
  ASSERT_TRUE(client);
  std::atomic<bool> inHandler{false}, handlerDone{false};
  auto sub = client->subscribe("slow", [&](NatsMessage) {
    inHandler = true;
    std::this_thread::sleep_for(300ms);
    handlerDone = true;
  });
  ASSERT_TRUE(sub && client->flush());
  ASSERT_TRUE(client->publish("slow", "x") && client->flush());
  for (int i = 0; i < 200 && !inHandler; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(inHandler);
  sub->unsubscribe();
  EXPECT_TRUE(handlerDone) << "unsubscribe returned while the handler was still running";
}

TEST_F(NatsClientTest, HandlerMayUnsubscribeItself) {
  auto client = connect();
  ASSERT_TRUE(client);
  std::optional<NatsSubscription> self;
  std::mutex mutex;
  std::atomic<int> calls{0};
  auto sub = client->subscribe("once", [&](NatsMessage) {
    calls++;
    std::lock_guard lock(mutex);
    if (self) self->unsubscribe();  // must not deadlock
  });
  ASSERT_TRUE(sub);
  {
    std::lock_guard lock(mutex);
    self.emplace(std::move(*sub));
  }
  ASSERT_TRUE(client->flush());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->publish("once", "x"));
  ASSERT_TRUE(client->flush());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls.load(), 1);
  std::lock_guard lock(mutex);
  self.reset();
}

TEST_F(NatsClientTest, SyncQueueSubscriptionReadsThenDrainsToTheEnd) {
  auto client = connect();
  ASSERT_TRUE(client);
  EXPECT_FALSE(client->queueSubscribeSync("sync.items", ""));
  auto sub = client->queueSubscribeSync("sync.items", "workers");
  ASSERT_TRUE(sub) << sub.error().message();
  ASSERT_TRUE(client->flush());
  auto none = (*sub)->next(20ms);  // nothing sent yet: empty, not an error
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->publish("sync.items", "m" + std::to_string(i)));
  ASSERT_TRUE(client->flush());
  auto first = (*sub)->next(1s);
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(first->data(), "m0");
  EXPECT_EQ((*sub)->pending(), 4u);
  // A drain stops new messages but keeps the received ones; then next() fails.
  (*sub)->drain();
  ASSERT_TRUE(client->flush());
  ASSERT_TRUE(client->publish("sync.items", "late") && client->flush());
  std::vector<std::string> rest;
  for (int i = 0; i < 100; ++i) {
    auto m = (*sub)->next(10ms);
    if (!m) break;
    if (*m) rest.emplace_back(m->data());
  }
  EXPECT_EQ(rest, (std::vector<std::string>{"m1", "m2", "m3", "m4"}));
  EXPECT_FALSE((*sub)->next(10ms));
}

TEST_F(NatsClientTest, ConnectFailureSaysWhere) {
  auto dead = server_->url();
  ASSERT_TRUE(server_->stop());
  auto client = NatsClient::connect({.url = dead, .connectTimeout = 500ms});
  ASSERT_FALSE(client);
  EXPECT_NE(client.error().message().find(dead), std::string::npos) << client.error().message();
  EXPECT_NE(client.error().message().find("nats-server running"), std::string::npos);
}

TEST_F(NatsClientTest, ClosedClientFailsCleanly) {
  auto client = connect();
  ASSERT_TRUE(client);
  Inbox inbox;
  auto sub = client->subscribe("x", inbox.handler());
  ASSERT_TRUE(sub);
  client->close();
  client->close();  // idempotent
  auto published = client->publish("x", "y");
  ASSERT_FALSE(published);
  EXPECT_NE(published.error().message().find("NATS publish to x"), std::string::npos);
  EXPECT_FALSE(client->connected());
  sub->unsubscribe();  // after close: returns, does not hang
}

TEST(NatsClientAuth, CredentialsAreRequiredWhenTheServerAsksForThem) {
  if (!testing::NatsServer::findBinary()) GTEST_SKIP() << "nats-server is not installed";
  auto server = testing::NatsServer::start({.jetstream = false, .user = "pelato", .password = "s3cret"});
  ASSERT_TRUE(server) << server.error().message();
  auto anonymous = NatsClient::connect({.url = (*server)->url()});
  ASSERT_FALSE(anonymous);
  EXPECT_NE(anonymous.error().message().find("refused the credentials"), std::string::npos)
      << anonymous.error().message();
  auto wrong = NatsClient::connect({.url = (*server)->url(), .auth = {.user = "pelato", .password = "guess"}});
  ASSERT_FALSE(wrong);
  auto right = NatsClient::connect({.url = (*server)->url(), .auth = {.user = "pelato", .password = "s3cret"}});
  ASSERT_TRUE(right) << right.error().message();
  EXPECT_TRUE((*right)->flush());
  // The same credentials in the URL.
  auto inUrl = NatsClient::connect({.url = fmt::format("nats://pelato:s3cret@127.0.0.1:{}", (*server)->port())});
  ASSERT_TRUE(inUrl) << inUrl.error().message();
}

}  // namespace
}  // namespace pelato::lattice
