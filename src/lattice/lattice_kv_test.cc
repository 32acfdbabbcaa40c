#include "lattice/lattice_kv.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "support/nats_test.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

class Recorder {
 public:
  LatticeKv::EntryHandler onEntry() {
    return [this](KvEntry e) {
      std::lock_guard lock(mutex_);
      entries_.push_back(std::move(e));
      changed_.notify_all();
    };
  }
  std::function<void()> onCaughtUp() {
    return [this] {
      std::lock_guard lock(mutex_);
      caughtUpAt_ = entries_.size();
      ++caughtUpCalls_;
      changed_.notify_all();
    };
  }
  bool waitCount(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return entries_.size() >= n; });
  }
  bool waitCaughtUp(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return caughtUpCalls_ > 0; });
  }
  std::vector<KvEntry> entries() {
    std::lock_guard lock(mutex_);
    return entries_;
  }
  size_t caughtUpAt() {
    std::lock_guard lock(mutex_);
    return caughtUpAt_;
  }
  int caughtUpCalls() {
    std::lock_guard lock(mutex_);
    return caughtUpCalls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<KvEntry> entries_;
  size_t caughtUpAt_ = 0;
  int caughtUpCalls_ = 0;
};

TEST(LatticeKv, KeyValidation) {
  EXPECT_TRUE(validKvKey("LINKDEF_abc"));
  EXPECT_TRUE(validKvKey("a-b/c_d=e.f"));
  EXPECT_FALSE(validKvKey(""));
  EXPECT_FALSE(validKvKey("a b"));
  EXPECT_FALSE(validKvKey("a*"));
  EXPECT_FALSE(validKvKey("a>"));
  EXPECT_FALSE(validKvKey(".a"));
  EXPECT_FALSE(validKvKey("a."));
}

class LatticeKvTest : public testing::NatsTest {};

TEST_F(LatticeKvTest, ExistingEntriesThenUpdatesAndDeletes) {
  auto kv = LatticeKv::open(*client_, "LATTICEDATA_kvtest");
  ASSERT_TRUE(kv) << kv.error().message();
  ASSERT_TRUE((*kv)->put("a", "1"));
  ASSERT_TRUE((*kv)->put("b", "2"));
  auto rev = (*kv)->put("a", "3");  // replaces: history 1, the watch sees only the last value
  ASSERT_TRUE(rev) << rev.error().message();
  EXPECT_EQ(*rev, 3u);
  EXPECT_FALSE((*kv)->put("bad key", "x"));

  // A second handle opens the same bucket (no re-creation).
  auto kv2 = LatticeKv::open(*client_, "LATTICEDATA_kvtest");
  ASSERT_TRUE(kv2) << kv2.error().message();

  Recorder recorder;
  {
    auto watch = (*kv2)->watchAll(recorder.onEntry(), recorder.onCaughtUp());
    ASSERT_TRUE(watch) << watch.error().message();
    ASSERT_TRUE(recorder.waitCaughtUp());
    EXPECT_EQ(recorder.caughtUpAt(), 2u);
    auto initial = recorder.entries();
    ASSERT_EQ(initial.size(), 2u);
    EXPECT_EQ(initial[0].key, "b");
    EXPECT_EQ(initial[0].value, "2");
    EXPECT_EQ(initial[1].key, "a");
    EXPECT_EQ(initial[1].value, "3");
    EXPECT_FALSE(initial[1].deleted);

    ASSERT_TRUE((*kv)->put("c", "4"));
    ASSERT_TRUE((*kv)->del("b"));
    ASSERT_TRUE(recorder.waitCount(4));
    auto all = recorder.entries();
    EXPECT_EQ(all[2].key, "c");
    EXPECT_EQ(all[2].value, "4");
    EXPECT_EQ(all[3].key, "b");
    EXPECT_TRUE(all[3].deleted);
    EXPECT_EQ(all[3].value, "");
    EXPECT_GT(all[3].revision, all[2].revision);
  }  // the watch stops here
  ASSERT_TRUE((*kv)->put("d", "5"));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(recorder.entries().size(), 4u);
  EXPECT_EQ(recorder.caughtUpCalls(), 1);
}

TEST_F(LatticeKvTest, GetSeesPutsAndDeletes) {
  auto kv = LatticeKv::open(*client_, "LATTICEDATA_get");
  ASSERT_TRUE(kv) << kv.error().message();
  auto missing = (*kv)->get("never.put");
  ASSERT_TRUE(missing) << missing.error().message();
  EXPECT_EQ(*missing, std::nullopt);

  ASSERT_TRUE((*kv)->put("k", "v1"));
  ASSERT_TRUE((*kv)->put("k", "v2"));
  auto value = (*kv)->get("k");
  ASSERT_TRUE(value) << value.error().message();
  EXPECT_EQ(*value, "v2");

  ASSERT_TRUE((*kv)->put("empty", ""));
  EXPECT_EQ(*(*kv)->get("empty"), "") << "an empty value is not a missing one";

  ASSERT_TRUE((*kv)->del("k"));
  auto deleted = (*kv)->get("k");
  ASSERT_TRUE(deleted) << deleted.error().message();
  EXPECT_EQ(*deleted, std::nullopt);

  auto bad = (*kv)->get("bad key");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("invalid KV key"), std::string::npos) << bad.error().message();
}

TEST_F(LatticeKvTest, CompareAndSetWritesLetOneWriterWin) {
  auto kv = LatticeKv::open(*client_, "LATTICEDATA_cas");
  ASSERT_TRUE(kv) << kv.error().message();
  auto first = (*kv)->create("lease", "a");
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE(first->has_value());
  auto second = (*kv)->create("lease", "b");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(*second, std::nullopt) << "create on a key with a value loses";

  auto entry = (*kv)->entry("lease");
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((*entry)->value, "a");
  EXPECT_EQ((*entry)->revision, **first);

  auto renewed = (*kv)->update("lease", "a", **first);
  ASSERT_TRUE(renewed && renewed->has_value()) << (renewed ? "lost" : renewed.error().message());
  auto stale = (*kv)->update("lease", "b", **first);
  ASSERT_TRUE(stale) << stale.error().message();
  EXPECT_EQ(*stale, std::nullopt) << "an update from an old revision loses";
  EXPECT_EQ(*(*kv)->get("lease"), "a");

  ASSERT_TRUE((*kv)->del("lease"));
  auto again = (*kv)->create("lease", "c");
  ASSERT_TRUE(again && again->has_value()) << "a deleted key can be created again";
}

TEST_F(LatticeKvTest, EmptyBucketCatchesUpAtOnce) {
  auto kv = LatticeKv::open(*client_, "LATTICEDATA_empty");
  ASSERT_TRUE(kv) << kv.error().message();
  Recorder recorder;
  auto watch = (*kv)->watchAll(recorder.onEntry(), recorder.onCaughtUp());
  ASSERT_TRUE(watch) << watch.error().message();
  ASSERT_TRUE(recorder.waitCaughtUp());
  EXPECT_EQ(recorder.caughtUpAt(), 0u);
  ASSERT_TRUE((*kv)->put("x", "y"));
  ASSERT_TRUE(recorder.waitCount(1));
  EXPECT_EQ(recorder.entries()[0].value, "y");
}

TEST(LatticeKvNoJetStream, OpenFailsClearly) {
  if (!testing::NatsServer::findBinary()) GTEST_SKIP() << "nats-server is not installed";
  auto server = testing::NatsServer::start({.jetstream = false});
  ASSERT_TRUE(server) << server.error().message();
  auto client = NatsClient::connect({.url = (*server)->url(), .name = "kv-test"});
  ASSERT_TRUE(client) << client.error().message();
  auto kv = LatticeKv::open(**client, "LATTICEDATA_nojs");
  ASSERT_FALSE(kv);
  EXPECT_NE(kv.error().message().find("LATTICEDATA_nojs"), std::string::npos) << kv.error().message();
}

}  // namespace
}  // namespace pelato::lattice

namespace pelato::lattice {
namespace {

class LatticeKvManyTest : public testing::NatsTest {};

TEST_F(LatticeKvManyTest, PutAllThenGetAllInChunks) {
  auto kv = LatticeKv::open(*client_, "LATTICEDATA_many");
  ASSERT_TRUE(kv) << kv.error().message();
  std::vector<std::string> values;
  for (int i = 0; i < 6; ++i) values.push_back(std::string(300'000 + static_cast<size_t>(i), static_cast<char>('a' + i)));
  std::vector<LatticeKv::KeyValue> entries;
  std::vector<std::string> keys;
  for (int i = 0; i < 6; ++i) {
    keys.push_back(fmt::format("blob.{}", i));
    entries.emplace_back(keys.back(), values[static_cast<size_t>(i)]);
  }
  ASSERT_TRUE((*kv)->putAll(entries));
  keys.push_back("blob.none");
  auto got = (*kv)->getAll(keys, 4);
  ASSERT_TRUE(got) << got.error().message();
  ASSERT_EQ(got->size(), 7u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ((*got)[i], values[i]) << i;
  EXPECT_FALSE((*got)[6]);

  // A value over the server's max_payload (1 MiB by default) is refused, and said so.
  std::string big(2 << 20, 'x');
  std::vector<LatticeKv::KeyValue> tooBig{{"blob.big", big}};
  auto refused = (*kv)->putAll(tooBig, std::chrono::seconds(2));
  EXPECT_FALSE(refused);
  EXPECT_FALSE(*(*kv)->get("blob.big"));
  std::vector<LatticeKv::KeyValue> badKey{{"bad key", "x"}};
  EXPECT_FALSE((*kv)->putAll(badKey));
}

}  // namespace
}  // namespace pelato::lattice
