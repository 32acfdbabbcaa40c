#include "runtime/snapshot.h"

#include <fstream>

#include "common/file.h"
#include "common/subprocess.h"
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

Module counterModule() {
  auto dir = TempDir::create("snapshot");
  EXPECT_TRUE(dir);
  std::ofstream(dir->path() / "c.wat") << kCounterWat;
  auto built = runProcess({"wat2wasm", (dir->path() / "c.wat").string(), "-o", (dir->path() / "c.wasm").string()});
  EXPECT_TRUE(built && built->exitCode == 0) << (built ? built->err : built.error().message());
  auto module = Module::loadFile((dir->path() / "c.wasm").string());
  EXPECT_TRUE(module) << module.error().message();
  return *module;
}

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

}  // namespace
}  // namespace pelato::runtime
