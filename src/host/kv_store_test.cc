// The key-value host functions over a real JetStream bucket: the kv_counter guest
// (tests/guests/kv_counter_task.c) run through TaskRunners against a real nats-server -js.
#include "host/kv_store.h"

#include <gtest/gtest.h>

#include "runtime/task_abi.h"
#include "runtime/test_guests.h"
#include "runtime/wasi_context.h"
#include "support/nats_test.h"

namespace pelato::host {
namespace {

// One component's worth of guest: its own WASI context and host functions over `store`.
class Guest {
 public:
  Guest(runtime::KeyValue& store, std::string_view name) {
    auto wasi = runtime::WasiContext::create({});
    if (!wasi) throw std::runtime_error(wasi.error().message());
    wasi_ = std::move(*wasi);
    host_.add(wasi_->functions());
    host_.add(runtime::kvFunctions(store));
    auto runner = runtime::TaskRunner::create([this, m = runtime::loadGuest(name)] {
      return runtime::instantiateInterp(m, host_, runtime::Limits{});
    });
    if (!runner) throw std::runtime_error(runner.error().message());
    runner_.emplace(std::move(*runner));
  }

  std::string run(std::string_view input) {
    auto out = runner_->run(input);
    return out ? *out : "trap: " + out.error().describe();
  }

 private:
  std::unique_ptr<runtime::WasiContext> wasi_;
  runtime::HostFunctions host_;
  std::optional<runtime::TaskRunner> runner_;
};

class JetStreamKeyValueTest : public testing::NatsTest {
 protected:
  void SetUp() override {
    NatsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto kv = lattice::LatticeKv::open(*client_, guestKvBucket("kvtest"));
    ASSERT_TRUE(kv) << kv.error().message();
    kv_ = std::move(*kv);
  }
  void TearDown() override {
    kv_.reset();  // before its client
    NatsTest::TearDown();
  }

  std::unique_ptr<JetStreamKeyValue> store(std::string prefix) {
    auto s = JetStreamKeyValue::create(*kv_, std::move(prefix));
    if (!s) throw std::runtime_error(s.error().message());
    return std::move(*s);
  }

  std::unique_ptr<lattice::LatticeKv> kv_;
};

TEST(GuestKvBucket, IsPerLattice) { EXPECT_EQ(guestKvBucket("default"), "PELATO_KV_default"); }

TEST_F(JetStreamKeyValueTest, CounterPersistsAcrossInstances) {
  auto counters = store("counter");
  {
    Guest first(*counters, "kv_counter_task");
    EXPECT_EQ(first.run("apples"), "1");
    EXPECT_EQ(first.run("apples"), "2");
  }
  Guest second(*counters, "kv_counter_task");  // a new instance, state only in JetStream
  EXPECT_EQ(second.run("apples"), "3");

  // Stored under the prefix, readable by anyone on the lattice (another connection here).
  auto otherClient = connect();
  auto other = lattice::LatticeKv::open(*otherClient, guestKvBucket("kvtest"));
  ASSERT_TRUE(other) << other.error().message();
  auto stored = (*other)->get("counter.count.apples");
  ASSERT_TRUE(stored) << stored.error().message();
  EXPECT_EQ(*stored, "3");

  EXPECT_EQ(second.run("del:count.apples"), "ok");
  EXPECT_EQ(*(*other)->get("counter.count.apples"), std::nullopt);
  EXPECT_EQ(second.run("apples"), "1");
}

TEST_F(JetStreamKeyValueTest, PrefixesKeepComponentsApart) {
  auto a = store("a");
  auto b = store("b");
  Guest ga(*a, "kv_counter_task"), gb(*b, "kv_counter_task");
  EXPECT_EQ(ga.run("x"), "1");
  EXPECT_EQ(ga.run("x"), "2");
  EXPECT_EQ(gb.run("x"), "1");
  // Without a prefix a guest sees the bucket's keys as they are.
  auto shared = store("");
  Guest gs(*shared, "kv_counter_task");
  EXPECT_EQ(gs.run("get:a.count.x"), "2");
}

TEST_F(JetStreamKeyValueTest, LargeValuesAndBadKeys) {
  auto s = store("big");
  Guest g(*s, "kv_counter_task");
  EXPECT_EQ(g.run("big:1048576"), "ok") << "1 MiB fits nats-server's default max_payload";
  auto value = (*kv_).get("big.big");
  ASSERT_TRUE(value) << value.error().message();
  ASSERT_TRUE(*value);
  EXPECT_EQ((*value)->size(), 1048576u);
  EXPECT_EQ(g.run("big:1048577"), "error -3");
  EXPECT_EQ(g.run("set:a*b=1"), "error -2");
  EXPECT_EQ(g.run("get:a>"), "error -2");
}

TEST_F(JetStreamKeyValueTest, BadPrefixIsRefused) {
  auto s = JetStreamKeyValue::create(*kv_, "no spaces");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("invalid key-value prefix \"no spaces\""), std::string::npos)
      << s.error().message();
}

TEST_F(JetStreamKeyValueTest, ServerDownIsAnErrorCodeNotATrap) {
  auto s = store("down");
  Guest g(*s, "kv_counter_task");
  EXPECT_EQ(g.run("n"), "1");
  ASSERT_TRUE(server_->stop());
  EXPECT_EQ(g.run("n"), "error -4");
  ASSERT_TRUE(server_->restart());
}

}  // namespace
}  // namespace pelato::host
