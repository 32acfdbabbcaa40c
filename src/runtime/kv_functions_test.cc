// The key-value host functions: the ABI called directly on a memory of our own, then real guests
// (tests/guests/kv_counter_task.c, kv_cpp_task.cc) on both tiers over an in-memory store.
#include "runtime/kv_functions.h"

#include <map>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file.h"
#include "runtime/engine.h"
#include "runtime/task_abi.h"
#include "runtime/test_guests.h"
#include "runtime/wasi_context.h"

namespace pelato::runtime {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A test double for the seam: a map, plus a switch that makes every call fail.
class MemoryKeyValue : public KeyValue {
 public:
  Result<std::optional<std::string>> get(std::string_view key) override {
    std::lock_guard lock(mutex_);
    if (broken_) return fail("the store is down");
    auto it = values_.find(std::string(key));
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  Result<void> set(std::string_view key, std::string_view value) override {
    std::lock_guard lock(mutex_);
    if (broken_) return fail("the store is down");
    values_[std::string(key)] = std::string(value);
    return {};
  }
  Result<void> del(std::string_view key) override {
    std::lock_guard lock(mutex_);
    if (broken_) return fail("the store is down");
    values_.erase(std::string(key));
    return {};
  }

  void breakDown() { broken_ = true; }
  std::map<std::string, std::string> values() {
    std::lock_guard lock(mutex_);
    return values_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> values_;
  bool broken_ = false;
};

TEST(KvKeys, JetStreamRules) {
  EXPECT_TRUE(validGuestKvKey("count.a"));
  EXPECT_TRUE(validGuestKvKey("a-b/c_d=e.f"));
  EXPECT_TRUE(validGuestKvKey(std::string(kKvMaxKeySize, 'k')));
  EXPECT_FALSE(validGuestKvKey(std::string(kKvMaxKeySize + 1, 'k')));
  EXPECT_FALSE(validGuestKvKey(""));
  EXPECT_FALSE(validGuestKvKey("a b"));
  EXPECT_FALSE(validGuestKvKey("a*"));
  EXPECT_FALSE(validGuestKvKey("a.>"));
  EXPECT_FALSE(validGuestKvKey(".a"));
  EXPECT_FALSE(validGuestKvKey("a."));
  EXPECT_FALSE(validGuestKvKey("a..b"));
  EXPECT_FALSE(validGuestKvKey(std::string_view("a\0b", 3)));
}

// ---- the ABI, called directly ----

class KvAbi : public ::testing::Test {
 protected:
  KvAbi() : memory_(256, 0xAA) {
    for (auto& f : kvFunctions(store_)) functions_.add(std::move(f));
  }

  // Puts `s` into guest memory at `addr`.
  uint32_t put(uint32_t addr, std::string_view s) {
    std::memcpy(memory_.data() + addr, s.data(), s.size());
    return addr;
  }

  std::expected<uint64_t, Trap> call(std::string_view name, std::vector<uint64_t> args) {
    const HostFunction* f = functions_.find("pelato", name);
    EXPECT_NE(f, nullptr) << name;
    uint64_t result = 0;
    HostCall c{args, std::span(&result, 1), GuestMemory(memory_), std::nullopt};
    if (auto ok = f->callback(c); !ok) return std::unexpected(ok.error());
    return result;
  }
  static int64_t asI64(uint64_t v) { return static_cast<int64_t>(v); }
  static int32_t asI32(uint64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

  MemoryKeyValue store_;
  HostFunctions functions_;
  std::vector<uint8_t> memory_;
};

TEST_F(KvAbi, TypesAreTheDocumentedOnes) {
  using enum ValType;
  EXPECT_EQ(functions_.find("pelato", "kv_get")->type, (FuncType{{I32, I32, I32, I32}, {I64}}));
  EXPECT_EQ(functions_.find("pelato", "kv_set")->type, (FuncType{{I32, I32, I32, I32}, {I32}}));
  EXPECT_EQ(functions_.find("pelato", "kv_del")->type, (FuncType{{I32, I32}, {I32}}));
}

TEST_F(KvAbi, SetGetDel) {
  put(0, "k1");
  put(16, "hello");
  ASSERT_EQ(asI32(*call("kv_set", {0, 2, 16, 5})), 0);
  EXPECT_EQ(store_.values().at("k1"), "hello");

  auto n = call("kv_get", {0, 2, 64, 32});
  ASSERT_TRUE(n);
  EXPECT_EQ(asI64(*n), 5);
  EXPECT_EQ(std::string(memory_.begin() + 64, memory_.begin() + 69), "hello");
  EXPECT_EQ(memory_[69], 0xAA) << "nothing past the value is written";

  EXPECT_EQ(asI32(*call("kv_del", {0, 2})), 0);
  EXPECT_EQ(asI64(*call("kv_get", {0, 2, 64, 32})), -1);
  EXPECT_EQ(asI32(*call("kv_del", {0, 2})), 0) << "deleting a missing key succeeds";
}

TEST_F(KvAbi, TooSmallABufferGetsTheLengthAndNothingWritten) {
  store_.set("k", "0123456789");
  put(0, "k");
  EXPECT_EQ(asI64(*call("kv_get", {0, 1, 64, 4})), 10);
  EXPECT_EQ(memory_[64], 0xAA);
  EXPECT_EQ(asI64(*call("kv_get", {0, 1, 64, 0})), 10) << "a zero-capacity probe asks for the size";
  EXPECT_EQ(asI64(*call("kv_get", {0, 1, 64, 10})), 10);
  EXPECT_EQ(std::string(memory_.begin() + 64, memory_.begin() + 74), "0123456789");
}

TEST_F(KvAbi, EmptyValueIsNotMissing) {
  put(0, "k");
  ASSERT_EQ(asI32(*call("kv_set", {0, 1, 0, 0})), 0);
  EXPECT_EQ(asI64(*call("kv_get", {0, 1, 64, 0})), 0);
}

TEST_F(KvAbi, BadKeysGetAnErrorCodeAndNeverReachTheStore) {
  put(0, "a b");
  EXPECT_EQ(asI64(*call("kv_get", {0, 3, 64, 8})), -2);
  EXPECT_EQ(asI32(*call("kv_set", {0, 3, 64, 8})), -2);
  EXPECT_EQ(asI32(*call("kv_del", {0, 3})), -2);
  EXPECT_EQ(asI32(*call("kv_set", {0, 0, 64, 8})), -2) << "empty key";
  EXPECT_TRUE(store_.values().empty());
}

TEST_F(KvAbi, ValueOverOneMebibyteIsRefused) {
  memory_.assign(kKvMaxValueSize + 64, 'v');
  put(0, "k");
  EXPECT_EQ(asI32(*call("kv_set", {0, 1, 16, kKvMaxValueSize + 1})), -3);
  EXPECT_TRUE(store_.values().empty());
  EXPECT_EQ(asI32(*call("kv_set", {0, 1, 16, kKvMaxValueSize})), 0) << "exactly 1 MiB is allowed";
  EXPECT_EQ(store_.values().at("k").size(), kKvMaxValueSize);
}

TEST_F(KvAbi, StoreFailureIsAnErrorCodeNotATrap) {
  store_.breakDown();
  put(0, "k");
  EXPECT_EQ(asI64(*call("kv_get", {0, 1, 64, 8})), -4);
  EXPECT_EQ(asI32(*call("kv_set", {0, 1, 64, 8})), -4);
  EXPECT_EQ(asI32(*call("kv_del", {0, 1})), -4);
}

TEST_F(KvAbi, RangesOutsideMemoryTrap) {
  put(0, "k");
  for (auto [name, args] : std::vector<std::pair<std::string, std::vector<uint64_t>>>{
           {"kv_get", {250, 10, 64, 8}},          // key runs past the end
           {"kv_get", {0, 1, 200, 100}},          // output buffer runs past the end
           {"kv_get", {0, 1, 0xfffffff0, 0x20}},  // wraps around 32 bits
           {"kv_set", {0, 1, 256, 1}},            // value starts at the end
           {"kv_set", {0xffffffff, 1, 0, 0}},     // key far out
           {"kv_del", {257, 0}},                  // empty, but past the end
       }) {
    auto r = call(name, args);
    ASSERT_FALSE(r) << name << " " << args[0];
    EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
    EXPECT_THAT(r.error().message, StartsWith("out of bounds memory access: pelato." + name));
  }
  // A range outside memory traps even when the store would fail (the guest's bug comes first).
  store_.breakDown();
  EXPECT_FALSE(call("kv_get", {0, 1, 250, 100}));
}

// ---- real guests, both tiers ----

class KvGuests : public ::testing::TestWithParam<Tier> {
 protected:
  static void SetUpTestSuite() {
    auto dir = TempDir::create("pelato-kv-test");
    ASSERT_TRUE(dir) << dir.error().message();
    cache_.emplace(std::move(*dir));
  }
  static void TearDownTestSuite() { cache_.reset(); }

  void SetUp() override {
    auto engine = Engine::create(
        {.tier = GetParam(), .cacheDir = cache_->path(), .background = EngineOptions::Background::None});
    ASSERT_TRUE(engine) << engine.error().message();
    engine_ = std::move(*engine);
    auto wasi = WasiContext::create({});
    ASSERT_TRUE(wasi) << wasi.error().message();
    wasi_ = std::move(*wasi);
    host_.add(wasi_->functions());
    host_.add(kvFunctions(store_));
  }

  // A task runner with its own instances of `guest`, all sharing store_.
  TaskRunner runner(std::string_view guest) {
    auto runner = TaskRunner::create(
        [this, m = loadGuest(guest)] { return engine_->instantiate(m, host_, Limits{}); });
    if (!runner) throw std::runtime_error(runner.error().message());
    return std::move(*runner);
  }

  static std::string run(TaskRunner& r, std::string_view input) {
    auto out = r.run(input);
    if (!out) return "trap: " + out.error().describe();
    return *out;
  }

  inline static std::optional<TempDir> cache_;  // one AOT cache for the suite: compile each guest once
  MemoryKeyValue store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<WasiContext> wasi_;
  HostFunctions host_;
};

TEST_P(KvGuests, CounterPersistsAcrossInstances) {
  {
    auto first = runner("kv_counter_task");
    EXPECT_EQ(run(first, "apples"), "1");
    EXPECT_EQ(run(first, "apples"), "2");
    EXPECT_EQ(run(first, "pears"), "1");
  }
  auto second = runner("kv_counter_task");  // a fresh instance: its memory knows nothing
  EXPECT_EQ(run(second, "apples"), "3");
  EXPECT_EQ(store_.values().at("count.apples"), "3");
  EXPECT_EQ(run(second, "del:count.apples"), "ok");
  EXPECT_EQ(run(second, "apples"), "1");
  EXPECT_EQ(run(second, "get:count.pears"), "1");
  EXPECT_EQ(run(second, "get:nothing.here"), "(none)");
}

TEST_P(KvGuests, LargeValuesTakeASecondRound) {
  auto r = runner("kv_counter_task");
  EXPECT_EQ(run(r, "big:100000"), "ok");
  auto value = r.run("get:big");
  ASSERT_TRUE(value) << value.error().describe();
  EXPECT_EQ(*value, std::string(100000, 'x'));
  EXPECT_EQ(run(r, "big:1048576"), "ok");
  EXPECT_EQ(run(r, "big:1048577"), "error -3");
  EXPECT_EQ(store_.values().at("big").size(), 1048576u);
}

TEST_P(KvGuests, ErrorsAreCodesAndTheInstanceLivesOn) {
  auto r = runner("kv_counter_task");
  EXPECT_EQ(run(r, "set:bad key=1"), "error -2");
  EXPECT_EQ(run(r, "get:.dot"), "error -2");
  EXPECT_EQ(run(r, "with space"), "error -2");
  store_.breakDown();
  EXPECT_EQ(run(r, "apples"), "error -4");
  EXPECT_EQ(run(r, "del:x"), "error -4");
  EXPECT_EQ(r.restarts(), 0u);
}

TEST_P(KvGuests, PointersOutsideMemoryTrap) {
  auto r = runner("kv_counter_task");
  for (std::string_view input : {"oob", "oob-out"}) {
    auto out = r.run(input);
    ASSERT_FALSE(out) << input << " gave " << *out;
    EXPECT_EQ(out.error().kind, Trap::Kind::Trap);
    EXPECT_THAT(out.error().message, StartsWith("out of bounds memory access")) << input;
  }
  EXPECT_EQ(r.restarts(), 2u);
  EXPECT_EQ(run(r, "apples"), "1");
}

TEST_P(KvGuests, CppWrappers) {
  auto r = runner("kv_cpp_task");
  EXPECT_EQ(run(r, "get:k"), "(none)");
  EXPECT_EQ(run(r, "set:k=" + std::string(200, 'v')), "true");
  EXPECT_EQ(run(r, "get:k"), std::string(200, 'v'));
  EXPECT_EQ(run(r, "set:bad key=v"), "false");
  EXPECT_EQ(run(r, "del:k"), "true");
  EXPECT_EQ(run(r, "get:k"), "(none)");
}

INSTANTIATE_TEST_SUITE_P(Tiers, KvGuests, ::testing::Values(Tier::Interp, Tier::Aot),
                         [](const auto& info) { return std::string(toString(info.param)); });

// Unused wrappers leave no import behind, so guests that do not use KV need no store linked.
TEST(KvSdk, GuestsThatDoNotUseKvDoNotImportIt) {
  for (std::string_view guest : {"upper_task", "word_count_task"}) {
    Module module = loadGuest(guest);
    for (const auto& import : module.imports())
      EXPECT_NE(import.module, "pelato") << guest << " imports pelato." << import.name;
  }
  std::vector<std::string> kv;
  Module counter = loadGuest("kv_counter_task");
  for (const auto& import : counter.imports())
    if (import.module == "pelato") kv.push_back(import.name);
  EXPECT_THAT(kv, ::testing::UnorderedElementsAre("kv_get", "kv_set", "kv_del"));
}

TEST(KvSdk, WithoutAStoreTheImportIsNamed) {
  auto wasi = WasiContext::create({});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  auto r = instantiateInterp(loadGuest("kv_counter_task"), host, {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("pelato.kv_"));
}

}  // namespace
}  // namespace pelato::runtime
