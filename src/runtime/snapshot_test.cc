#include "runtime/snapshot.h"

#include <fstream>

#include "common/file.h"
#include "common/subprocess.h"
#include "runtime/aot_compiler.h"
#include "runtime/aot_instance.h"
#include "runtime/instance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pelato::runtime {
namespace {

using ::testing::HasSubstr;

InstanceSnapshot sample() {
  InstanceSnapshot s;
  s.moduleDigest.fill(0xAB);
  MemorySnapshot memory{.pages = 3};
  memory.bytes.assign(3 * kWasmPageBytes, 0);
  memory.bytes[5] = 42;                        // page 0
  memory.bytes[2 * kWasmPageBytes + 7] = 0xFF;  // page 2; page 1 stays zero
  s.memories.push_back(memory);
  s.globals = {{.index = 0, .type = ValType::I32, .bits = 7},
               {.index = 3, .type = ValType::F64, .bits = 0x400921FB54442D18}};
  s.tables = {{.index = 0, .functions = {std::nullopt, 4, 2}}};
  return s;
}

TEST(Snapshot, RoundTripsAndLeavesZeroPagesOut) {
  auto bytes = encodeSnapshot(sample());
  auto back = decodeSnapshot(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, sample());
  // Two of three pages stored: 8 + 4 + 32 + 4 + 8 + 2 × (4 + 65536) + globals + tables + 32.
  EXPECT_LT(bytes.size(), 2 * (4 + kWasmPageBytes) + 200);
  InstanceSnapshot empty;
  auto none = decodeSnapshot(encodeSnapshot(empty));
  ASSERT_TRUE(none) << none.error().message();
  EXPECT_EQ(*none, empty);
}

TEST(Snapshot, TheBytesAreTheSameOnEveryMachine) {
  // Little-endian whatever the CPU: the version and a global's bits at known offsets.
  auto bytes = encodeSnapshot(sample());
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "PELATOSN");
  EXPECT_EQ(bytes[8], 1);
  EXPECT_EQ(bytes[9], 0);
  // The same snapshot, the same bytes (deterministic): what a checksum of a migration compares.
  EXPECT_EQ(encodeSnapshot(sample()), bytes);
}

TEST(Snapshot, DamageIsRefusedWithTheReason) {
  auto bytes = encodeSnapshot(sample());
  auto error = [](std::vector<uint8_t> b) {
    auto s = decodeSnapshot(b);
    return s ? std::string("decoded") : s.error().message();
  };
  auto flipped = bytes;
  flipped[100] ^= 1;
  EXPECT_THAT(error(flipped), HasSubstr("checksum mismatch"));
  EXPECT_THAT(error({bytes.begin(), bytes.end() - 1}), HasSubstr("checksum mismatch"));
  auto magic = bytes;
  magic[0] = 'X';
  EXPECT_THAT(error(magic), HasSubstr("not a pelato snapshot"));
  EXPECT_THAT(error({1, 2, 3}), HasSubstr("too short"));

  // A future version, with a valid checksum: named.
  auto future = bytes;
  future.resize(future.size() - 32);
  future[8] = 2;
  auto sum = sha256(future);
  future.insert(future.end(), sum.begin(), sum.end());
  EXPECT_THAT(error(future), HasSubstr("snapshot version 2 is not supported"));
}

TEST(Snapshot, AMemoryOverTheLimitIsRefusedBeforeAllocating) {
  auto bytes = encodeSnapshot(sample());
  auto refused = decodeSnapshot(bytes, {.maxMemoryBytes = 2 * kWasmPageBytes});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("over the limit"));
}

// A counter whose state lives in a mutable global, memory beyond its initial page, and a table.
constexpr std::string_view kCounterWat = R"((module
  (memory (export "memory") 1 4)
  (global $count (mut i32) (i32.const 0))
  (global $sum (mut f64) (f64.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $one)
  (elem declare func $two)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (type $ret_i32 (func (result i32)))
  (func (export "bump") (param $x i32) (result i32)
    (global.set $count (i32.add (global.get $count) (call_indirect (type $ret_i32) (i32.const 0))))
    (global.set $sum (f64.add (global.get $sum) (f64.convert_i32_s (local.get $x))))
    (i32.store (i32.const 70000) (global.get $count))
    (global.get $count))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "swap") (table.set 0 (i32.const 0) (ref.func $two)))
  (func (export "sum") (result f64) (global.get $sum))
  (func (export "stored") (result i32) (i32.load (i32.const 70000)))
))";

Module moduleFromWat(std::string_view wat) {
  auto dir = TempDir::create("snapshot");
  EXPECT_TRUE(dir);
  std::ofstream(dir->path() / "c.wat") << wat;
  auto built = runProcess({"wat2wasm", (dir->path() / "c.wat").string(), "-o", (dir->path() / "c.wasm").string()});
  EXPECT_TRUE(built && built->exitCode == 0) << (built ? built->err : built.error().message());
  auto module = Module::loadFile((dir->path() / "c.wasm").string());
  EXPECT_TRUE(module) << module.error().message();
  return *module;
}

Module counterModule() { return moduleFromWat(kCounterWat); }

TEST(Snapshot, AnInterpretedInstanceContinuesWhereAnotherLeftOff) {
  Module module = counterModule();
  auto first = instantiateInterp(module, {}, {});
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE((*first)->call("grow", {}));  // 2 pages: address 70000 is in the second
  for (int x : {5, 6, 7}) ASSERT_TRUE((*first)->call("bump", std::vector<Value>{Value::i32(x)}));
  ASSERT_TRUE((*first)->call("swap", {}));  // the table now calls $two
  auto taken = (*first)->snapshot();
  ASSERT_TRUE(taken) << taken.error().message();
  // Through bytes, as a migration sends it.
  auto decoded = decodeSnapshot(encodeSnapshot(*taken));
  ASSERT_TRUE(decoded) << decoded.error().message();

  auto second = instantiateInterp(module, {}, {});
  ASSERT_TRUE(second) << second.error().message();
  ASSERT_TRUE((*second)->restore(*decoded)) << "restore failed";
  auto stored = (*second)->call("stored", {});
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)[0].bits, 3u) << "memory beyond the initial page came along";
  auto bumped = (*second)->call("bump", std::vector<Value>{Value::i32(8)});
  ASSERT_TRUE(bumped);
  EXPECT_EQ((*bumped)[0].bits, 5u) << "the count (3) and the swapped table entry (+2) came along";
  auto sum = (*second)->call("sum", {});
  ASSERT_TRUE(sum);
  EXPECT_EQ(std::bit_cast<double>((*sum)[0].bits), 26.0);
}

TEST(Snapshot, AnotherModulesSnapshotIsRefused) {
  Module module = counterModule();
  auto instance = instantiateInterp(module, {}, {});
  ASSERT_TRUE(instance);
  auto taken = (*instance)->snapshot();
  ASSERT_TRUE(taken);
  taken->moduleDigest[0] ^= 1;
  auto restored = (*instance)->restore(*taken);
  ASSERT_FALSE(restored);
  EXPECT_THAT(restored.error().message(), HasSubstr("the snapshot is of another module"));
}

// ---- Across the engine tiers: a snapshot taken on one restores on the other. ----

// Imports come first in every index space: an imported function in a table (put there by an
// element segment and by table.set), an immutable global before the mutable ones, an externref
// table (of nulls) beside the funcref one.
constexpr std::string_view kIndexSpacesWat = R"((module
  (import "pelato" "ten" (func $ten (result i32)))
  (type $ret_i32 (func (result i32)))
  (global $k i32 (i32.const 7))
  (global $g (mut i64) (i64.const 0))
  (global $f (mut f32) (f32.const 0))
  (table $t 2 funcref)
  (table $x 1 externref)
  (elem (table $t) (i32.const 0) func $own $ten)
  (elem declare func $ten)
  (func $own (result i32) (i32.const 1))
  (func (export "set") (param i64 f32) (global.set $g (local.get 0)) (global.set $f (local.get 1)))
  (func (export "flip") (table.set $t (i32.const 0) (ref.func $ten)) (table.set $t (i32.const 1) (ref.null func)))
  (func (export "call") (param i32) (result i32) (call_indirect $t (type $ret_i32) (local.get 0)))
  (func (export "g") (result i64) (global.get $g))
  (func (export "f") (result f32) (global.get $f))
))";

HostFunctions tenHost() {
  HostFunctions host;
  host.add(HostFunction{"pelato", "ten", FuncType{{}, {ValType::I32}}, [](HostCall& call) -> HostOutcome {
                          call.results[0] = 10;
                          return {};
                        }});
  return host;
}

enum class Tier { Interp, Aot };

// Each module is compiled once for the suite: the C compiler is the slow part.
class SnapshotAcrossTiers : public ::testing::TestWithParam<std::pair<Tier, Tier>> {
 protected:
  struct Compiled {
    Module module;
    std::shared_ptr<const AotArtifact> artifact;
  };

  static void SetUpTestSuite() {
    auto dir = TempDir::create("snapshot-aot");
    ASSERT_TRUE(dir) << dir.error().message();
    cache_ = new TempDir(std::move(*dir));
    auto compiler = aot::Compiler::create({.cacheDir = cache_->path()});
    ASSERT_TRUE(compiler) << compiler.error().message();
    for (auto wat : {kCounterWat, kIndexSpacesWat}) {
      Module module = moduleFromWat(wat);
      auto so = compiler->compile(module);
      ASSERT_TRUE(so) << so.error().message();
      auto artifact = AotArtifact::load(*so, module);
      ASSERT_TRUE(artifact) << artifact.error().message();
      compiled_.push_back({std::move(module), std::move(*artifact)});
    }
  }

  static void TearDownTestSuite() {
    compiled_.clear();
    delete cache_;
    cache_ = nullptr;
  }

  static std::unique_ptr<Instance> instantiate(Tier tier, const Compiled& c, const HostFunctions& host = {}) {
    auto instance = tier == Tier::Interp ? instantiateInterp(c.module, host, {})
                                         : instantiateAot(c.module, c.artifact, host, {});
    EXPECT_TRUE(instance) << instance.error().message();
    return instance ? std::move(*instance) : nullptr;
  }

  // Runs `calls` on an instance of each tier: both snapshots must be the same bytes.
  template <typename Calls>
  static InstanceSnapshot takeOnBoth(Tier from, const Compiled& c, const HostFunctions& host, Calls calls) {
    std::vector<uint8_t> bytes[2];
    InstanceSnapshot taken;
    for (Tier tier : {Tier::Interp, Tier::Aot}) {
      auto instance = instantiate(tier, c, host);
      if (!instance) return {};
      calls(*instance);
      auto snapshot = instance->snapshot();
      EXPECT_TRUE(snapshot) << snapshot.error().message();
      if (!snapshot) return {};
      bytes[tier == Tier::Aot] = encodeSnapshot(*snapshot);
      if (tier == from) taken = *snapshot;
    }
    EXPECT_EQ(bytes[0], bytes[1]) << "the tiers' snapshots of the same state differ";
    auto decoded = decodeSnapshot(encodeSnapshot(taken));  // through bytes, as a migration sends it
    EXPECT_TRUE(decoded) << decoded.error().message();
    return decoded ? *decoded : InstanceSnapshot{};
  }

  static inline TempDir* cache_ = nullptr;
  static inline std::vector<Compiled> compiled_;
};

TEST_P(SnapshotAcrossTiers, TheCounterContinuesWhereItLeftOff) {
  auto [from, to] = GetParam();
  ASSERT_EQ(compiled_.size(), 2u);
  const Compiled& c = compiled_[0];
  InstanceSnapshot taken = takeOnBoth(from, c, {}, [](Instance& instance) {
    ASSERT_TRUE(instance.call("grow", {}));  // 2 pages: address 70000 is in the second
    for (int x : {5, 6, 7}) ASSERT_TRUE(instance.call("bump", std::vector<Value>{Value::i32(x)}));
    ASSERT_TRUE(instance.call("swap", {}));  // the table now calls $two
  });
  ASSERT_EQ(taken.memories.size(), 1u);
  EXPECT_EQ(taken.memories[0].pages, 2u);

  auto second = instantiate(to, c);
  ASSERT_TRUE(second);
  auto restored = second->restore(taken);
  ASSERT_TRUE(restored) << restored.error().message();
  auto again = second->snapshot();
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(encodeSnapshot(*again), encodeSnapshot(taken)) << "restoring and taking again changes nothing";
  auto stored = second->call("stored", {});
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)[0].bits, 3u) << "memory beyond the initial page came along";
  auto bumped = second->call("bump", std::vector<Value>{Value::i32(8)});
  ASSERT_TRUE(bumped);
  EXPECT_EQ((*bumped)[0].bits, 5u) << "the count (3) and the swapped table entry (+2) came along";
  auto sum = second->call("sum", {});
  ASSERT_TRUE(sum);
  EXPECT_EQ(std::bit_cast<double>((*sum)[0].bits), 26.0);
  auto grown = second->call("grow", {});
  ASSERT_TRUE(grown);
  EXPECT_EQ((*grown)[0].bits, 2u) << "the restored memory has the snapshot's 2 pages";
}

TEST_P(SnapshotAcrossTiers, IndexSpacesStartWithTheImports) {
  auto [from, to] = GetParam();
  ASSERT_EQ(compiled_.size(), 2u);
  const Compiled& c = compiled_[1];
  HostFunctions host = tenHost();
  InstanceSnapshot taken = takeOnBoth(from, c, host, [](Instance& instance) {
    ASSERT_TRUE(instance.call("set", std::vector<Value>{Value::i64(1ull << 40), Value::f32(2.5f)}));
    ASSERT_TRUE(instance.call("flip", {}));
  });
  ASSERT_EQ(taken.globals.size(), 2u);
  EXPECT_EQ(taken.globals[0], (GlobalSnapshot{.index = 1, .type = ValType::I64, .bits = 1ull << 40}));
  EXPECT_EQ(taken.globals[1].index, 2u) << "after the immutable global 0";
  ASSERT_EQ(taken.tables.size(), 2u);
  EXPECT_EQ(taken.tables[0].functions, (std::vector<std::optional<uint32_t>>{0, std::nullopt}))
      << "the imported function is function 0";
  EXPECT_EQ(taken.tables[1].functions, (std::vector<std::optional<uint32_t>>{std::nullopt}));

  auto second = instantiate(to, c, host);
  ASSERT_TRUE(second);
  auto restored = second->restore(taken);
  ASSERT_TRUE(restored) << restored.error().message();
  auto ten = second->call("call", std::vector<Value>{Value::i32(0)});
  ASSERT_TRUE(ten) << ten.error().message;
  EXPECT_EQ((*ten)[0].bits, 10u) << "the table calls the import";
  EXPECT_FALSE(second->call("call", std::vector<Value>{Value::i32(1)})) << "the null came along";
  auto g = second->call("g", {});
  ASSERT_TRUE(g);
  EXPECT_EQ((*g)[0].bits, 1ull << 40);
  auto f = second->call("f", {});
  ASSERT_TRUE(f);
  EXPECT_EQ((*f)[0].asF32(), 2.5f);
}

// The AOT tier once gave an imported function that an element segment put in a table the
// address of its context, not the context: a call through the table crashed, and the snapshot
// could not be sure the entry was the module's own.
TEST_P(SnapshotAcrossTiers, AnImportPlacedByAnElementSegmentIsItsFunction) {
  auto [from, to] = GetParam();
  ASSERT_EQ(compiled_.size(), 2u);
  const Compiled& c = compiled_[1];
  HostFunctions host = tenHost();
  InstanceSnapshot taken = takeOnBoth(from, c, host, [](Instance& instance) {
    auto ten = instance.call("call", std::vector<Value>{Value::i32(1)});
    ASSERT_TRUE(ten) << ten.error().message;
    EXPECT_EQ((*ten)[0].bits, 10u);
  });
  ASSERT_EQ(taken.tables.size(), 2u);
  EXPECT_EQ(taken.tables[0].functions, (std::vector<std::optional<uint32_t>>{1, 0}))
      << "$own is function 1 after the imported function 0";

  auto second = instantiate(to, c, host);
  ASSERT_TRUE(second);
  auto restored = second->restore(taken);
  ASSERT_TRUE(restored) << restored.error().message();
  auto again = second->snapshot();
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(encodeSnapshot(*again), encodeSnapshot(taken)) << "restoring and taking again changes nothing";
  for (auto [slot, expected] : {std::pair{0, 1u}, std::pair{1, 10u}}) {
    auto result = second->call("call", std::vector<Value>{Value::i32(slot)});
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ((*result)[0].bits, expected) << "slot " << slot;
  }
}

TEST_P(SnapshotAcrossTiers, AnotherModulesSnapshotIsRefused) {
  auto [from, to] = GetParam();
  ASSERT_EQ(compiled_.size(), 2u);
  auto first = instantiate(from, compiled_[0]);
  ASSERT_TRUE(first);
  auto taken = first->snapshot();
  ASSERT_TRUE(taken) << taken.error().message();
  auto other = instantiate(to, compiled_[1], tenHost());
  ASSERT_TRUE(other);
  auto restored = other->restore(*taken);
  ASSERT_FALSE(restored);
  EXPECT_THAT(restored.error().message(), HasSubstr("the snapshot is of another module"));
  EXPECT_THAT(restored.error().message(), HasSubstr(compiled_[1].module.digest()));
}

TEST_P(SnapshotAcrossTiers, AMemoryThatCannotGrowThatFarIsRefused) {
  auto [from, to] = GetParam();
  ASSERT_EQ(compiled_.size(), 2u);
  const Compiled& c = compiled_[0];
  auto first = instantiate(from, c);
  ASSERT_TRUE(first);
  auto taken = first->snapshot();
  ASSERT_TRUE(taken) << taken.error().message();
  taken->memories[0].pages = 5;  // the module's maximum is 4
  taken->memories[0].bytes.resize(5 * kWasmPageBytes);
  auto second = instantiate(to, c);
  ASSERT_TRUE(second);
  auto restored = second->restore(*taken);
  ASSERT_FALSE(restored);
  EXPECT_THAT(restored.error().message(), HasSubstr("memory 0 cannot grow to the snapshot's 5 pages"));
}

std::string tierName(Tier t) { return t == Tier::Interp ? "Interp" : "Aot"; }

INSTANTIATE_TEST_SUITE_P(, SnapshotAcrossTiers,
                         ::testing::Values(std::pair{Tier::Interp, Tier::Aot}, std::pair{Tier::Aot, Tier::Interp},
                                           std::pair{Tier::Aot, Tier::Aot}),
                         [](const auto& info) {
                           return tierName(info.param.first) + "To" + tierName(info.param.second);
                         });

}  // namespace
}  // namespace pelato::runtime
