// Resource limits: memory, time, instructions and call depth. Each hostile guest must end in a
// clear error or trap, never a crash or a hang.
#include "runtime/limits.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/instance.h"
#include "runtime/wasi_context.h"
#include "runtime/test_guests.h"

namespace pelato::runtime {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::unique_ptr<Instance> instantiate(std::string_view name, const Limits& limits, const HostFunctions& host = {}) {
  auto instance = instantiateInterp(loadGuest(name), host, limits);
  if (!instance) throw std::runtime_error(instance.error().message());
  return std::move(*instance);
}

Limits smallMemory() {
  Limits l;
  l.maxMemoryPages = Limits::pagesForMiB(16);
  return l;
}

TEST(Limits, PagesForMiB) {
  EXPECT_EQ(Limits::pagesForMiB(1), 16u);
  EXPECT_EQ(Limits::pagesForMiB(16), 256u);
  EXPECT_EQ(Limits::pagesForMiB(1024), Limits{}.maxMemoryPages);
}

TEST(Limits, InitialMemoryAboveTheLimitIsAnError) {
  auto r = instantiateInterp(loadGuest("limits_big_memory"), {}, smallMemory());
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("needs 20 MiB of memory at start, above the limit of 16 MiB"));
  EXPECT_THAT(r.error().message(), HasSubstr("--max-memory-mb"));
  // The same module fits under the default limit of 1 GiB.
  auto ok = instantiateInterp(loadGuest("limits_big_memory"), {}, Limits{});
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ((*ok)->memory().size(), 320u * Limits::kWasmPageSize);
}

TEST(Limits, MemoryGrowPastTheLimitReturnsMinusOne) {
  auto instance = instantiate("limits_traps", smallMemory());
  Value too_many = Value::i32(Limits::pagesForMiB(16));  // 1 page + 16 MiB
  auto r = instance->call("grow", std::span(&too_many, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(static_cast<int32_t>((*r)[0].asI32()), -1);

  Value some = Value::i32(10);
  r = instance->call("grow", std::span(&some, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 1u);  // the old size
}

TEST(Limits, MemoryBombStopsAtTheLimit) {
  auto instance = instantiate("limits_traps", smallMemory());
  auto r = instance->call("grow_until_fail", {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), Limits::pagesForMiB(16));
  EXPECT_EQ(instance->memory().size(), 16u << 20);
  // Still usable, and still capped.
  Value one = Value::i32(1);
  r = instance->call("grow", std::span(&one, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(static_cast<int32_t>((*r)[0].asI32()), -1);
}

TEST(Limits, ModuleMaximumAboveTheLimitIsClamped) {
  // limits_traps declares no maximum; a 1 MiB limit caps it at 16 pages.
  Limits l;
  l.maxMemoryPages = Limits::pagesForMiB(1);
  auto instance = instantiate("limits_traps", l);
  auto r = instance->call("grow_until_fail", {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 16u);
}

TEST(Limits, MallocBombTrapsNamingTheMemoryLimit) {
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(devnull, 0);
  auto wasi = WasiContext::create({.args = {"malloc_bomb"}, .stdoutFd = devnull, .stderrFd = devnull});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  auto instance = instantiate("limits_malloc_bomb", smallMemory(), host);
  auto r = instance->call("_start", {});
  ::close(devnull);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  // malloc asks for 1 MiB and more at a time, so memory stops short of the limit.
  EXPECT_THAT(r.error().message, HasSubstr("near the memory limit of 16 MiB")) << r.error().describe();
  EXPECT_EQ(r.error().function, "abort");
  EXPECT_LE(instance->memory().size(), 16u << 20);
}

TEST(Limits, DeadlineCutsAHostSleepShort) {
  auto wasi = WasiContext::create({});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  Limits l;
  l.deadline = 100ms;
  auto instance = instantiate("limits_sleep", l, host);
  auto start = std::chrono::steady_clock::now();
  Value tenSeconds = Value::i64(10000);
  auto r = instance->call("sleep", std::span(&tenSeconds, 1));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  EXPECT_LT(took, 5s);
  Value short_ = Value::i64(1);
  auto ok = instance->call("sleep", std::span(&short_, 1));  // a short sleep within the deadline is fine
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ((*ok)[0].asI32(), 0u);
}

TEST(Limits, DeadlineStopsAnInfiniteLoop) {
  Limits l;
  l.deadline = 100ms;
  auto instance = instantiate("limits_traps", l);
  auto start = std::chrono::steady_clock::now();
  auto r = instance->call("spin", {});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  EXPECT_EQ(r.error().message, "deadline exceeded");
  EXPECT_EQ(r.error().function, "spin");
  EXPECT_GE(took, 100ms);
  // Only a sanity bound (shared machines are noisy); bench/ measures how close to 100 ms it is.
  EXPECT_LT(took, 2s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";

  // The deadline is per call: the next call gets a fresh one, and works.
  auto ok = instance->call("answer", {});
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ((*ok)[0].asI32(), 42u);
  start = std::chrono::steady_clock::now();
  r = instance->call("spin", {});
  took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  EXPECT_GE(took, 100ms);
}

TEST(Limits, FuelStopsAnInfiniteLoop) {
  Limits l;
  l.fuel = 1'000'000;
  auto instance = instantiate("limits_traps", l);
  auto r = instance->call("spin", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  EXPECT_EQ(r.error().message, "instruction budget of 1000000 exhausted");
  EXPECT_EQ(r.error().function, "spin");
  EXPECT_EQ(r.error().describe(), "instruction budget of 1000000 exhausted (in function spin)");
}

TEST(Limits, FuelIsEnoughForShortCalls) {
  Limits l;
  l.fuel = 100'000;
  auto instance = instantiate("limits_traps", l);
  Value n = Value::i32(100);
  auto r = instance->call("depth", std::span(&n, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 100u);
}

TEST(Limits, StartFunctionIsBoundedByTheDeadline) {
  Limits l;
  l.deadline = 100ms;
  auto start = std::chrono::steady_clock::now();
  auto r = instantiateInterp(loadGuest("limits_start_loop"), {}, l);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("instantiation failed: deadline exceeded"));
  EXPECT_THAT(r.error().message(), HasSubstr("forever"));
  EXPECT_LT(took, 200ms);
}

TEST(Limits, StartFunctionIsBoundedByFuel) {
  Limits l;
  l.fuel = 100'000;
  auto r = instantiateInterp(loadGuest("limits_start_loop"), {}, l);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("instantiation failed: instruction budget of 100000 exhausted"));
}

TEST(Limits, InfiniteRecursionExhaustsTheCallStack) {
  auto instance = instantiate("limits_traps", Limits{});
  auto r = instance->call("recurse", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  EXPECT_EQ(r.error().function, "recurse");
  // The instance survives.
  auto ok = instance->call("answer", {});
  ASSERT_TRUE(ok) << ok.error().describe();
}

TEST(Limits, MaxCallDepthIsHonoured) {
  Limits l;
  l.maxCallDepth = 100;
  auto instance = instantiate("limits_traps", l);
  Value shallow = Value::i32(50);
  auto r = instance->call("depth", std::span(&shallow, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 50u);

  Value deep = Value::i32(200);
  r = instance->call("depth", std::span(&deep, 1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  EXPECT_EQ(r.error().function, "depth");
}

TEST(Limits, DeepButFiniteRecursionWithinTheDefaultDepth) {
  auto instance = instantiate("limits_traps", Limits{});
  Value n = Value::i32(5000);
  auto r = instance->call("depth", std::span(&n, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 5000u);
}

// ---- host memory the linear-memory limit does not cover ----

void leb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
}

void section(std::vector<uint8_t>& module, uint8_t id, const std::vector<uint8_t>& payload) {
  module.push_back(id);
  leb(module, payload.size());
  module.insert(module.end(), payload.begin(), payload.end());
}

// (func (export "f") (local i32 * locals) [call 0]): locals are run-length encoded, so a few
// bytes declare any number of them.
std::vector<uint8_t> functionWithLocals(uint64_t locals, bool recurse) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, {0x01, 0x60, 0x00, 0x00});   // type () -> ()
  section(m, 3, {0x01, 0x00});               // one function of type 0
  section(m, 7, {0x01, 0x01, 'f', 0x00, 0x00});  // export "f" = func 0
  std::vector<uint8_t> body = {0x01};        // one local group
  leb(body, locals);
  body.push_back(0x7f);                      // i32
  if (recurse) body.insert(body.end(), {0x10, 0x00});  // call 0
  body.push_back(0x0b);
  std::vector<uint8_t> code = {0x01};
  leb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());
  section(m, 10, code);
  return m;
}

TEST(Limits, TooManyLocalsIsRejectedAtLoad) {
  auto m = Module::load(functionWithLocals(50'000, false));
  ASSERT_TRUE(m) << m.error().message();
  m = Module::load(functionWithLocals(50'001, false));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message(), "invalid module: function 0 declares 50001 locals, more than the 50000 pelato allows");
  m = Module::load(functionWithLocals(0x0fffffff, false));
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message(), HasSubstr("declares 268435455 locals"));
}

TEST(Limits, RecursionWithManyLocalsExhaustsTheStackNotTheHost) {
  // 10000 frames of 50000 locals would be 8 GB of interpreter stack.
  auto module = Module::load(functionWithLocals(50'000, true));
  ASSERT_TRUE(module) << module.error().message();
  auto instance = instantiateInterp(*module, {}, Limits{});
  ASSERT_TRUE(instance) << instance.error().message();
  auto start = std::chrono::steady_clock::now();
  auto r = (*instance)->call("f", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  EXPECT_EQ(r.error().message, "call stack exhausted");
  EXPECT_EQ(r.error().function, "f");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Limits, RecursionWithAFewLocalsStillReachesTheDepthLimit) {
  auto module = Module::load(functionWithLocals(100, true));
  ASSERT_TRUE(module) << module.error().message();
  Limits l;
  l.maxCallDepth = 5000;
  auto instance = instantiateInterp(*module, {}, l);
  ASSERT_TRUE(instance) << instance.error().message();
  auto r = (*instance)->call("f", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "call stack exhausted");
}

TEST(Limits, HugeTableIsAnError) {
  auto r = instantiateInterp(loadGuest("limits_big_table"), {}, Limits{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "the module's tables need 4000000000 elements at start, above the limit of 10000000");
}

TEST(Limits, TableGrowIsCapped) {
  auto instance = instantiate("limits_table_grow", Limits{});
  Value huge = Value::i32(100'000'000);
  auto r = instance->call("grow", std::span(&huge, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(static_cast<int32_t>((*r)[0].asI32()), -1);
  Value some = Value::i32(1000);
  r = instance->call("grow", std::span(&some, 1));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 1u);
  r = instance->call("size", {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 1001u);
}

}  // namespace
}  // namespace pelato::runtime
