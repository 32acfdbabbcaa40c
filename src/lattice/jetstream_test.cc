#include "lattice/jetstream.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <vector>

#include "support/nats_test.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

TEST(StreamNameFor, ReadableUniqueAndValid) {
  std::string name = streamNameFor("default", "temperature.in");
  EXPECT_TRUE(name.starts_with("PELATO_default_temperature_in_")) << name;
  EXPECT_EQ(name.size(), std::string("PELATO_default_temperature_in_").size() + 8);
  EXPECT_NE(streamNameFor("default", "a.b"), streamNameFor("default", "a_b"));
  EXPECT_EQ(streamNameFor("L", "x.*.>").find_first_of(".*> "), std::string::npos);
  EXPECT_LE(streamNameFor("L", std::string(300, 'a')).size(), std::string("PELATO_L__").size() + 64 + 8);
}

// Collects what a consumer receives; acks, naks or leaves messages as told.
struct Inbox {
  enum class Reply { Ack, Nothing, NakOnce };
  Reply reply = Reply::Ack;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<JsMessage> messages;

  PullConsumer::Handler handler() {
    return [this](JsMessage m) {
      std::lock_guard lock(mutex);
      if (reply == Reply::Ack || (reply == Reply::NakOnce && !messages.empty())) (void)m.ack();
      if (reply == Reply::NakOnce && messages.empty()) (void)m.nak(0ms);
      messages.push_back(std::move(m));
      changed.notify_all();
    };
  }
  bool waitCount(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return messages.size() >= n; });
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
};

PullConsumer::Capacity unlimited() {
  return [] { return size_t{64}; };
}

class JetStreamTest : public testing::NatsTest {
 protected:
  void SetUp() override {
    NatsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto js = JetStream::open(*client_);
    ASSERT_TRUE(js) << js.error().message();
    js_ = std::move(*js);
  }
  void TearDown() override {
    js_.reset();
    NatsTest::TearDown();
  }

  std::unique_ptr<JetStream> js_;
};

TEST_F(JetStreamTest, StreamForIsIdempotentAndFindsExistingStreams) {
  auto first = js_->streamFor("L", "orders.in");
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(*first, streamNameFor("L", "orders.in"));
  auto again = js_->streamFor("L", "orders.in");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(*again, *first);
  // A stream on a wildcard captures the concrete subject too: it is found, not overlapped.
  auto wide = js_->streamFor("L", "metrics.>");
  ASSERT_TRUE(wide) << wide.error().message();
  auto inside = js_->streamFor("L", "metrics.cpu");
  ASSERT_TRUE(inside) << inside.error().message();
  EXPECT_EQ(*inside, *wide);
}

TEST_F(JetStreamTest, PublishWithoutStreamFailsClearly) {
  auto ok = js_->publish("nowhere.at.all", "x", "");
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message().find("no JetStream stream captures"), std::string::npos) << ok.error().message();
}

TEST_F(JetStreamTest, DuplicateMessageIdsAreStoredOnce) {
  auto stream = js_->streamFor("L", "dedup.in");
  ASSERT_TRUE(stream) << stream.error().message();
  ASSERT_TRUE(js_->publish("dedup.in", "a", "id-1"));
  ASSERT_TRUE(js_->publish("dedup.in", "a again", "id-1"));
  ASSERT_TRUE(js_->publish("dedup.in", "b", "id-2"));
  Inbox inbox;
  auto consumer = js_->pullConsumer(*stream, "dedup.in", {.durable = "d"}, unlimited(), inbox.handler());
  ASSERT_TRUE(consumer) << consumer.error().message();
  ASSERT_TRUE(inbox.waitCount(2));
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(inbox.count(), 2u);
  EXPECT_EQ(inbox.messages[0].data(), "a");
  EXPECT_EQ(inbox.messages[1].data(), "b");
  EXPECT_EQ(inbox.messages[0].stream(), *stream);
  EXPECT_EQ(inbox.messages[1].streamSequence(), 2u);
}

TEST_F(JetStreamTest, AsynchronousPublishesCompleteOnceEach) {
  auto stream = js_->streamFor("L", "async.in");
  ASSERT_TRUE(stream) << stream.error().message();
  constexpr int kMessages = 2000;
  std::mutex mutex;
  std::condition_variable changed;
  int ok = 0, failed = 0;
  auto done = [&](Result<void> r) {
    std::lock_guard lock(mutex);
    ++(r ? ok : failed);
    changed.notify_all();
  };
  for (int i = 0; i < kMessages; ++i) js_->publishAsync("async.in", std::to_string(i), fmt::format("a-{}", i % 1500), done);
  js_->publishAsync("no.stream.here", "x", "", done);
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return ok + failed == kMessages + 1; })) << ok << " " << failed;
  }
  EXPECT_EQ(failed, 1);  // the subject no stream captures
  Inbox inbox;
  auto consumer = js_->pullConsumer(*stream, "async.in", {.durable = "a"}, unlimited(), inbox.handler());
  ASSERT_TRUE(consumer) << consumer.error().message();
  ASSERT_TRUE(inbox.waitCount(1500));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(inbox.count(), 1500u);  // ids 1500..1999 repeat 0..499: dropped as duplicates
}

TEST_F(JetStreamTest, ReplicasOfADurableShareMessages) {
  auto stream = js_->streamFor("L", "work.in");
  ASSERT_TRUE(stream) << stream.error().message();
  Inbox a, b;
  auto ca = js_->pullConsumer(*stream, "work.in", {.durable = "w"}, [] { return size_t{1}; }, a.handler());
  ASSERT_TRUE(ca) << ca.error().message();
  auto cb = js_->pullConsumer(*stream, "work.in", {.durable = "w"}, [] { return size_t{1}; }, b.handler());
  ASSERT_TRUE(cb) << cb.error().message();
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) ASSERT_TRUE(js_->publish("work.in", std::to_string(i), ""));
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (a.count() + b.count() < kMessages && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  std::set<std::string> seen;
  for (auto* inbox : {&a, &b})
    for (auto& m : inbox->messages) EXPECT_TRUE(seen.insert(m.data()).second) << "twice: " << m.data();
  EXPECT_EQ(seen.size(), size_t{kMessages});
  EXPECT_GT(a.count(), 0u);
  EXPECT_GT(b.count(), 0u);
}

TEST_F(JetStreamTest, UnacknowledgedMessagesComeBackAfterTheAckWaitAndNaksAtOnce) {
  auto stream = js_->streamFor("L", "retry.in");
  ASSERT_TRUE(stream) << stream.error().message();
  ASSERT_TRUE(js_->publish("retry.in", "once", ""));
  {
    Inbox silent;
    silent.reply = Inbox::Reply::Nothing;
    auto consumer = js_->pullConsumer(*stream, "retry.in", {.durable = "r", .ackWait = 500ms}, unlimited(),
                                      silent.handler());
    ASSERT_TRUE(consumer) << consumer.error().message();
    ASSERT_TRUE(silent.waitCount(1));
  }  // gone without acknowledging: a crashed replica
  Inbox next;
  next.reply = Inbox::Reply::NakOnce;
  auto consumer = js_->pullConsumer(*stream, "retry.in", {.durable = "r", .ackWait = 500ms}, unlimited(),
                                    next.handler());
  ASSERT_TRUE(consumer) << consumer.error().message();
  ASSERT_TRUE(next.waitCount(2));
  EXPECT_EQ(next.messages[0].data(), "once");
  EXPECT_EQ(next.messages[0].deliveries(), 2u);  // redelivered after the ack wait
  EXPECT_EQ(next.messages[1].deliveries(), 3u);  // after the nak
  std::this_thread::sleep_for(800ms);
  EXPECT_EQ(next.count(), 2u);  // acknowledged: not again
}

TEST_F(JetStreamTest, ConsumersSurviveAServerRestart) {
  auto stream = js_->streamFor("L", "restart.in");
  ASSERT_TRUE(stream) << stream.error().message();
  Inbox inbox;
  auto consumer = js_->pullConsumer(*stream, "restart.in", {.durable = "s"}, unlimited(), inbox.handler());
  ASSERT_TRUE(consumer) << consumer.error().message();
  ASSERT_TRUE(js_->publish("restart.in", "before", ""));
  ASSERT_TRUE(inbox.waitCount(1));
  ASSERT_TRUE(server_->stop());
  ASSERT_TRUE(server_->restart());
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!client_->connected() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  Result<void> published = fail("not yet");
  while (!published && std::chrono::steady_clock::now() < deadline) {
    published = js_->publish("restart.in", "after", "", 1s);
    if (!published) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(published) << published.error().message();
  ASSERT_TRUE(inbox.waitCount(2, 10s));
  EXPECT_EQ(inbox.messages[1].data(), "after");
}

}  // namespace
}  // namespace pelato::lattice
