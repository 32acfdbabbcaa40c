// The AOT tier against the interpreter: the same calls must give the same results and the same
// traps on both; plus what only compiled code has to get right itself: deadlines from signals,
// guard-page memories from a pool, per-thread trap state, the artifact cache and the glue.
// Guests: tests/aot/*.wat and tests/guests (task ABI). Each test compiles into its own cache.

#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/file.h"
#include "common/sha256.h"
#include "common/subprocess.h"
#include "runtime/aot_compiler.h"
#include "runtime/aot_glue.h"
#include "runtime/aot_instance.h"
#include "runtime/aot_rt.h"
#include "runtime/aot_support.h"
#include "runtime/engine.h"
#include "runtime/task_abi.h"
#include "runtime/wasi_context.h"
#include "runtime/test_guests.h"

namespace pelato::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

Value i32(int64_t v) { return Value::i32(static_cast<uint32_t>(v)); }
Value i64(int64_t v) { return Value::i64(static_cast<uint64_t>(v)); }
Value f32(float v) { return Value::f32(v); }
Value f64(double v) { return Value::f64(v); }
Value f32Bits(uint32_t bits) { return {ValType::F32, bits, {}}; }
Value f64Bits(uint64_t bits) { return {ValType::F64, bits, {}}; }

CallResult call(Instance& instance, std::string_view fn, const std::vector<Value>& args = {}) {
  return instance.call(fn, args);
}

std::string show(const CallResult& r) {
  if (!r) return fmt::format("trap(kind {}): {}", static_cast<int>(r.error().kind), r.error().message);
  std::string out = "[";
  for (const auto& v : *r) out += fmt::format("{} (0x{:x}), ", toString(v), v.bits);
  return out + "]";
}

// Every test gets a fresh artifact cache, so nothing it checks comes from an earlier run.
class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::create("pelato-aot-test");
    ASSERT_TRUE(dir) << dir.error().message();
    cache_.emplace(std::move(*dir));
  }

  const fs::path& cacheDir() const { return cache_->path(); }

  std::unique_ptr<Engine> engine(Tier tier) {
    auto e = Engine::create({.tier = tier, .cacheDir = cacheDir(), .background = EngineOptions::Background::None});
    if (!e) throw std::runtime_error(e.error().message());
    return std::move(*e);
  }

  static std::unique_ptr<Instance> instantiate(Engine& engine, const Module& module, const HostFunctions& host = {},
                                               const Limits& limits = {}) {
    auto instance = engine.instantiate(module, host, limits);
    if (!instance) throw std::runtime_error(instance.error().message());
    return std::move(*instance);
  }

  std::optional<TempDir> cache_;
};

// ---- 1. tier parity ----

struct Call {
  std::string fn;
  std::vector<Value> args;
  // Where the tiers word a trap differently: each side's exact message.
  std::string interpMessage = {};
  std::string aotMessage = {};
};

bool isNan(const Value& v) {
  return (v.type == ValType::F32 && std::isnan(v.asF32())) || (v.type == ValType::F64 && std::isnan(v.asF64()));
}

// A canonical NaN (only the quiet bit set in the payload), of either sign.
bool isCanonicalNan(const Value& v) {
  if (v.type == ValType::F32) return (v.bits & 0x7fffffffu) == 0x7fc00000u;
  return (v.bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}

class AotParity : public CacheTest {
 protected:
  // Runs `calls` in order on one instance per tier and compares each outcome.
  void expectParity(std::string_view guest, const std::vector<Call>& calls, const HostFunctions& host = {},
                    const Limits& limits = {}) {
    Module module = loadGuest(guest);
    auto interp = instantiate(*engine(Tier::Interp), module, host, limits);
    auto aot = instantiate(*engine(Tier::Aot), module, host, limits);
    for (const auto& c : calls) {
      std::vector<std::string> args;
      for (const auto& a : c.args) args.push_back(toString(a));
      SCOPED_TRACE(fmt::format("{}({})", c.fn, fmt::join(args, ", ")));
      expectSame(c, interp->call(c.fn, c.args), aot->call(c.fn, c.args));
    }
  }

  static void expectSame(const Call& c, const CallResult& interp, const CallResult& aot) {
    ASSERT_EQ(interp.has_value(), aot.has_value()) << "interp: " << show(interp) << "\naot:    " << show(aot);
    if (interp) {
      ASSERT_EQ(interp->size(), aot->size());
      for (size_t i = 0; i < interp->size(); ++i) {
        const Value &a = (*interp)[i], &b = (*aot)[i];
        EXPECT_EQ(a.type, b.type) << "result " << i;
        if (isNan(a) && isNan(b) && a.bits != b.bits) {
          // Arithmetic on floats may produce any canonical NaN: libwabt always gives the positive
          // one, x86 the negative "default NaN". Anything else must match bit for bit.
          EXPECT_TRUE(isCanonicalNan(a) && isCanonicalNan(b))
              << "result " << i << ": interp " << show(interp) << "\naot    " << show(aot);
        } else {
          EXPECT_EQ(a.bits, b.bits) << "result " << i << ": interp " << show(interp) << "\naot    " << show(aot);
        }
      }
      return;
    }
    EXPECT_EQ(interp.error().kind, aot.error().kind);
    if (c.interpMessage.empty()) {
      EXPECT_EQ(interp.error().message, aot.error().message);
    } else {
      EXPECT_EQ(interp.error().message, c.interpMessage);
      EXPECT_EQ(aot.error().message, c.aotMessage);
    }
  }
};

constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kOob = "out of bounds memory access";
const std::string kIndirect =
    "indirect call failed (undefined element, uninitialized element or type mismatch)";

TEST_F(AotParity, IntegerArithmetic) {
  expectParity("aot_parity", {
      {"add", {i32(1), i32(2)}},
      {"add", {i32(0xffffffff), i32(1)}},
      {"sub64", {i64(0), i64(1)}},
      {"mul64", {i64(0x123456789), i64(0xfedcba987)}},
      {"div_s", {i32(-7), i32(2)}},
      {"div_s", {i32(kMin32), i32(-1)}},
      {"div_s", {i32(1), i32(0)}},
      {"div_u", {i32(0xffffffff), i32(2)}},
      {"div_u", {i32(1), i32(0)}},
      {"rem_s", {i32(kMin32), i32(-1)}},  // 0, no trap
      {"rem_s", {i32(-7), i32(2)}},
      {"rem_u", {i32(7), i32(0)}},
      {"div_s64", {i64(kMin64), i64(-1)}},
      {"div_s64", {i64(-9), i64(4)}},
      {"rem_s64", {i64(kMin64), i64(-1)}},
      {"rem_s64", {i64(5), i64(0)}},
      {"shl", {i32(1), i32(33)}},
      {"shr_s", {i32(0x80000000), i32(31)}},
      {"shr_u64", {i64(-1), i64(65)}},
      {"rotl", {i32(0x80000001), i32(1)}},
      {"rotr64", {i64(1), i64(1)}},
      {"bits", {i32(0)}},
      {"bits", {i32(0x00f00000)}},
      {"bits64", {i64(0)}},
      {"bits64", {i64(kMin64)}},
      {"extend", {i32(0x80)}},
      {"extend", {i32(0xffff8000)}},
      {"wrap", {i64(0x100000002)}},
      {"cmp", {i32(-1), i32(1)}},
      {"cmp", {i32(0), i32(0)}},
      {"sum", {i32(100000)}},
      {"classify", {i32(0)}},
      {"classify", {i32(1)}},
      {"classify", {i32(2)}},
      {"classify", {i32(100)}},
      {"select", {i32(0), i64(1), i64(2)}},
      {"select", {i32(7), i64(1), i64(2)}},
  });
}

TEST_F(AotParity, FloatsAreBitExact) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  expectParity("aot_parity", {
      {"f32_arith", {f32(1.5f), f32(2.25f)}},
      {"f32_arith", {f32(0), f32(0)}},  // 0/0: a canonical NaN
      {"f32_arith", {f32(INFINITY), f32(INFINITY)}},
      {"f32_arith", {f32(1e38f), f32(1e-38f)}},
      {"f64_arith", {f64(0.1), f64(0.2)}},
      {"f64_arith", {f64(1e308), f64(1e308)}},
      {"f64_arith", {f64(-0.0), f64(0.0)}},
      {"f64_arith", {f64(5e-324), f64(0.5)}},  // subnormals
      {"f32_minmax", {f32(-0.0f), f32(0.0f)}},
      {"f32_minmax", {f32(0.0f), f32(-0.0f)}},
      {"f32_minmax", {f32(nan), f32(1)}},
      {"f32_minmax", {f32(1), f32(nan)}},
      {"f64_minmax", {f64(-0.0), f64(0.0)}},
      {"f64_minmax", {f64(0.0), f64(-0.0)}},
      {"f64_minmax", {f64(std::nan("")), f64(-kInf)}},
      {"f64_minmax", {f64(3), f64(-kInf)}},
      {"f64_round", {f64(2.5)}},
      {"f64_round", {f64(-2.5)}},
      {"f64_round", {f64(-0.5)}},
      {"f64_round", {f64(3.5)}},
      {"f64_round", {f64(4503599627370497.0)}},
      {"f64_round", {f64(-1)}},  // sqrt(-1): a canonical NaN
      {"f64_round", {f64(1e300)}},
      {"f32_round", {f32(0.5f)}},
      {"f32_round", {f32(-1.5f)}},
      {"f32_round", {f32(-0.0f)}},
      // neg, abs, copysign and reinterpret keep NaN payloads, signalling ones included
      {"f32_bits", {f32Bits(0x7fa00001), f32(-1)}},
      {"f32_bits", {f32Bits(0xff800001), f32(1)}},
      {"f32_bits", {f32(-0.0f), f32(1)}},
      {"f64_bits", {f64Bits(0xfff0000000000001), f64(1.0)}},
      {"f64_bits", {f64Bits(0x7ff4000000000abc), f64(-0.0)}},
      {"f32_from_bits", {i32(0x7f800001)}},
      {"f32_cmp", {f32(nan), f32(nan)}},
      {"f32_cmp", {f32(0.0f), f32(-0.0f)}},
      {"convert", {i64(kMin64)}},
      {"convert", {i64(-1)}},
      {"convert", {i64(0x7fffffffffffffff)}},
      {"convert", {i64(0x20000020000001)}},  // rounds to nearest even
      {"demote", {f64(1e300)}},
      {"demote", {f64(1.0000000596046448)}},
      {"demote", {f64(-1e-320)}},
      {"promote", {f32(3.4e38f)}},
      {"promote", {f32(-0.0f)}},
  });
}

TEST_F(AotParity, NanPayloadsThroughArithmetic) {
  // A NaN operand yields an arithmetic NaN. libwabt canonicalises it (0x7fc00000); x86 keeps
  // the operand's payload and sign. Both are valid; the test pins down what each tier does.
  Module module = loadGuest("aot_parity");
  auto interp = instantiate(*engine(Tier::Interp), module);
  auto aot = instantiate(*engine(Tier::Aot), module);
  std::vector<Value> args = {f32Bits(0xffa00001), f32(1)};
  auto a = interp->call("f32_arith", args), b = aot->call("f32_arith", args);
  ASSERT_TRUE(a && b);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(isNan((*a)[i]) && isNan((*b)[i])) << show(a) << "\n" << show(b);
    EXPECT_EQ((*a)[i].bits, 0x7fc00000u) << show(a);
    EXPECT_EQ((*b)[i].bits, 0xffe00001u) << show(b);  // quietened, payload and sign kept
  }
  // promote and demote of a signalling NaN: quietened, payload kept, on both tiers alike.
  auto p = call(*interp, "promote", {f32Bits(0x7f800001)}), q = call(*aot, "promote", {f32Bits(0x7f800001)});
  ASSERT_TRUE(p && q);
  EXPECT_EQ((*p)[0].bits, 0x7ff8000020000000u) << show(p);
  EXPECT_EQ((*q)[0].bits, 0x7ff8000020000000u) << show(q);
  auto d = call(*interp, "demote", {f64Bits(0xfff4000020000000)}), e = call(*aot, "demote", {f64Bits(0xfff4000020000000)});
  ASSERT_TRUE(d && e);
  EXPECT_TRUE(isNan((*d)[0]) && isNan((*e)[0])) << show(d) << "\n" << show(e);
  EXPECT_EQ((*d)[0].bits & 0x00400000u, 0x00400000u) << show(d);
  EXPECT_EQ((*e)[0].bits & 0x00400000u, 0x00400000u) << show(e);
}

TEST_F(AotParity, ConversionTraps) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  expectParity("aot_parity", {
      {"trunc_s", {f32(nan)}},
      {"trunc_s", {f32(3e9f)}},
      {"trunc_s", {f32(2147483648.0f)}},
      {"trunc_s", {f32(-2147483648.0f)}},
      {"trunc_s", {f32(-2.9f)}},
      {"trunc_s", {f32(INFINITY)}},
      {"trunc_u64", {f64(-1.0)}},
      {"trunc_u64", {f64(-0.9)}},
      {"trunc_u64", {f64(18446744073709551616.0)}},
      {"trunc_u64", {f64(18446744073709549568.0)}},
      {"trunc_u64", {f64(std::nan(""))}},
      {"trunc_sat", {f64(std::nan(""))}},
      {"trunc_sat", {f64(1e20)}},
      {"trunc_sat", {f64(-1e20)}},
      {"trunc_sat", {f64(-1.5)}},
      {"trunc_sat", {f64(4294967295.9)}},
  });
}

TEST_F(AotParity, MemoryLoadsStoresAndBounds) {
  expectParity("aot_parity", {
      {"load32", {i32(100)}},  // data segment "pelato\ff\80"
      {"load8", {i32(106)}},
      {"load8", {i32(107)}},
      {"load16", {i32(106)}},
      {"store32", {i32(0), i32(0xdeadbeef)}},
      {"load32", {i32(0)}},
      {"load32", {i32(1)}},  // unaligned
      {"store64", {i32(3), i64(0x0102030405060708)}},
      {"load64", {i32(3)}},
      {"load32", {i32(12)}},
      {"storef64", {i32(24), f64Bits(0x7ff4000000000abc)}},
      {"loadf64", {i32(24)}},  // a signalling NaN survives memory
      {"load32", {i32(65532)}},
      {"store32", {i32(65532), i32(77)}},
      {"load32", {i32(65532)}},
      {"load32", {i32(65533)}, kOob + ": access at 65533+4 >= max value 65536", kOob},
      {"load32", {i32(65535)}, kOob + ": access at 65535+4 >= max value 65536", kOob},
      {"load8", {i32(65535)}},
      {"load8", {i32(65536)}, kOob + ": access at 65536+1 >= max value 65536", kOob},
      {"store32", {i32(65534), i32(1)}, kOob + ": access at 65534+4 >= max value 65536", kOob},
      {"load32", {i32(65532)}},  // the failed store wrote nothing
      {"load32", {i32(0xffffffff)}, kOob + ": access at 4294967295+4 >= max value 65536", kOob},
      {"load32_off", {i32(0)}},
      {"load32_off", {i32(1)}, kOob + ": access at 65533+4 >= max value 65536", kOob},
      {"load32_off", {i32(0xffffffff)}, kOob + ": access at 4295032827+4 >= max value 65536", kOob},
      {"store64", {i32(65528), i64(1)}, kOob + ": access at 65536+8 >= max value 65536", kOob},
      {"fill", {i32(65530), i32(0xab), i32(6)}},
      {"load16", {i32(65534)}},
      {"fill", {i32(65530), i32(0xcd), i32(7)}, kOob + ": memory.fill out of bounds", kOob},
      {"load16", {i32(65534)}},  // memory.fill checks bounds before writing
      {"copy", {i32(0), i32(100), i32(8)}},
      {"load64", {i32(-8)}, kOob + ": access at 4294967296+8 >= max value 65536", kOob},
      {"load32", {i32(0)}},
      {"copy", {i32(65535), i32(0), i32(2)}, kOob + ": memory.copy out of bound", kOob},
      {"copy", {i32(0), i32(65535), i32(2)}, kOob + ": memory.copy out of bound", kOob},
      {"copy", {i32(4), i32(0), i32(8)}},  // overlapping
      {"load64", {i32(-4)}, kOob + ": access at 4294967300+8 >= max value 65536", kOob},  // no wrap-around
      {"load64", {i32(65528 - 8)}},
  });
}

TEST_F(AotParity, MemoryGrowUpToTheDeclaredMaximum) {
  expectParity("aot_parity", {
      {"size", {}},
      {"grow", {i32(0)}},
      {"grow", {i32(2)}},
      {"size", {}},
      {"store32", {i32(3 * 65536 - 4), i32(5)}},
      {"load32", {i32(3 * 65536 - 4)}},
      {"load32", {i32(3 * 65536 - 3)}, kOob + ": access at 196605+4 >= max value 196608", kOob},
      {"grow", {i32(2)}},  // above the module's maximum of 4: -1
      {"grow", {i32(1)}},
      {"size", {}},
      {"load32", {i32(4 * 65536 - 4)}},
      {"grow", {i32(1)}},
      {"grow", {i32(0xffffffff)}},
      {"grow", {i32(0x10000)}},
      {"size", {}},
  });
}

TEST_F(AotParity, CallIndirectMultiValueAndGlobals) {
  expectParity("aot_parity", {
      {"indirect", {i32(0), i32(21)}},
      {"indirect", {i32(1), i32(5)}},
      {"indirect", {i32(2), i32(1)}, "indirect call signature mismatch", kIndirect},
      {"indirect", {i32(3), i32(1)}, "uninitialized table element", kIndirect},
      {"indirect", {i32(5), i32(1)}, "undefined table index", kIndirect},
      {"indirect", {i32(-1), i32(1)}, "undefined table index", kIndirect},
      {"indirect64", {i32(2), i64(5)}},
      {"indirect64", {i32(0), i64(5)}, "indirect call signature mismatch", kIndirect},
      {"swap", {i32(1), i32(2)}},
      {"mixed", {i32(-7)}},
      {"mixed", {i32(0x7fffffff)}},
      {"divmod", {i64(100), i64(7)}},
      {"divmod", {i64(1), i64(0)}},
      {"bump", {}},
      {"bump", {}},
      {"mix64", {i64(1)}},
      {"mix64", {i64(-1)}},
      {"facc", {f64(3)}},
      {"facc", {f64(-kInf)}},
      {"facc", {f64(0)}},  // -inf * 0: a canonical NaN
      {"facc", {f64(2)}},
      {"bump", {}},
      {"get_k", {}},
  });
}

TEST_F(AotParity, TrapsAndTheInstanceAfterwards) {
  expectParity("aot_parity", {
      {"unreachable", {}},
      {"bump", {}},
      {"recurse_add", {}},
      {"bump", {}},
      {"recurse", {}},
      {"recurse_add", {}},
      {"depth", {i32(1000)}},
      {"add", {i32(40), i32(2)}},
      {"div_s", {i32(1), i32(0)}},
      {"trunc_s", {f32(std::nanf(""))}},
      {"load32", {i32(65535)}, kOob + ": access at 65535+4 >= max value 65536", kOob},
      {"bump", {}},
  });
}

TEST_F(AotParity, ErrorsBeforeTheCall) {
  expectParity("aot_parity", {
      {"no_such_export", {}},
      {"memory", {}},  // not a function
      {"add", {i32(1)}},
      {"add", {i32(1), i64(2)}},
  });
}

TEST_F(AotParity, InstantiationFailures) {
  Limits limits;
  limits.deadline = 100ms;
  struct Case {
    std::string guest, interp, aot;
  };
  std::vector<Case> cases = {
      {"aot_start_trap", "instantiation failed: unreachable executed (in function start)",
       "instantiation failed: unreachable executed"},
      {"aot_start_recurse", "instantiation failed: call stack exhausted (in function rec)",
       "instantiation failed: call stack exhausted"},
      {"limits_start_loop", "instantiation failed: deadline exceeded (in function forever)",
       "instantiation failed: deadline exceeded"},
      {"aot_data_oob", "instantiation failed: out of bounds memory access: data segment is out of bounds: [65535, 65537) >= max value 65536",
       "instantiation failed: out of bounds memory access"},
      // wasm2c 1.0.32 has one trap code for memory and table bounds.
      {"aot_elem_oob", "instantiation failed: out of bounds table access: elem segment is out of bounds: [1, 2) >= max value 1",
       "instantiation failed: out of bounds memory access"},
  };
  auto interp = engine(Tier::Interp), aot = engine(Tier::Aot);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.guest);
    Module module = loadGuest(c.guest);
    auto i = interp->instantiate(module, {}, limits);
    auto a = aot->instantiate(module, {}, limits);
    ASSERT_FALSE(i);
    ASSERT_FALSE(a);
    EXPECT_EQ(i.error().message(), c.interp);
    EXPECT_EQ(a.error().message(), c.aot);
  }
  // Nothing of the failed instances is left behind in this thread: calls work.
  auto ok = instantiate(*aot, loadGuest("aot_compute"));
  EXPECT_EQ((*call(*ok, "fib", {i32(10)}))[0].asI64(), 55u);
}

TEST_F(AotParity, StaticOffsetsBeyondTheGuardRegionAreChecked) {
  Module module = loadGuest("aot_big_offset");
  auto plan = aot::planAot(module);
  ASSERT_TRUE(plan) << plan.error().message();
  EXPECT_TRUE(plan->farOffsets);  // guard pages, plus a check against the reservation's end
  EXPECT_FALSE(plan->explicitBoundsChecks);
  EXPECT_FALSE(aot::planAot(loadGuest("aot_parity"))->farOffsets);
  expectParity("aot_big_offset", {
      {"store", {i32(65532), i32(9)}},
      {"load", {i32(65532)}},
      {"load", {i32(65533)}, kOob + ": access at 65533+4 >= max value 65536", kOob},
      {"load_far", {i32(0)}, kOob + ": access at 268435456+4 >= max value 65536", kOob},
      {"load_max", {i32(0)}, kOob + ": access at 4294967295+4 >= max value 65536", kOob},
      {"load_max", {i32(0xffffffff)}, kOob + ": access at 8589934590+4 >= max value 65536", kOob},
      {"grow", {i32(1)}},
      {"load", {i32(65536)}},
  });
}

// ---- 2. WASI and the task ABI ----

class AotTask : public CacheTest {
 protected:
  // Runs `inputs` through a fresh task instance on `tier`; traps are recorded as "trap: ...".
  std::vector<std::string> run(Tier tier, const Module& module, const std::vector<std::string>& inputs) {
    auto wasi = WasiContext::create({});
    EXPECT_TRUE(wasi) << wasi.error().message();
    HostFunctions host;
    host.add((*wasi)->functions());
    auto e = engine(tier);
    auto runner = TaskRunner::create([&] { return e->instantiate(module, host, {}); });
    EXPECT_TRUE(runner) << runner.error().message();
    std::vector<std::string> out;
    for (const auto& input : inputs) {
      auto r = runner->run(input);
      out.push_back(r ? *r : fmt::format("trap {}: {}", static_cast<int>(r.error().kind), r.error().message));
    }
    out.push_back(fmt::format("restarts: {}", runner->restarts()));
    return out;
  }
};

TEST_F(AotTask, GuestsGiveTheSameOutputsOnBothTiers) {
  std::string big(1 << 20, 'q');
  big[12345] = ' ';
  {
    Module module = loadGuest("upper_task");
    std::vector<std::string> inputs = {"hello", "", "edge to cloud", big, "caf\xc3\xa9"};
    auto interp = run(Tier::Interp, module, inputs);
    auto aot = run(Tier::Aot, module, inputs);
    EXPECT_EQ(aot[0], "HELLO #1");
    EXPECT_EQ(aot[2], "EDGE TO CLOUD #3");
    EXPECT_EQ(aot[3].size(), big.size() + 3);
    EXPECT_EQ(interp, aot);
  }
  {
    Module module = loadGuest("word_count_task");
    // A trap, then the next message works (TaskRunner replaces the trapped instance).
    std::vector<std::string> inputs = {"b a b", "trap", "x", big, "trap", "the cat the end"};
    auto interp = run(Tier::Interp, module, inputs);
    auto aot = run(Tier::Aot, module, inputs);
    EXPECT_EQ(aot[0], "a=1\nb=2\n");
    EXPECT_EQ(aot[1], "trap 0: unreachable executed");
    EXPECT_EQ(aot[2], "x=1\n");
    EXPECT_EQ(aot[5], "cat=1\nend=1\nthe=2\n");
    EXPECT_EQ(aot[6], "restarts: 2");
    EXPECT_EQ(interp, aot);
  }
}

// ---- 3. deadlines ----

// ThreadSanitizer holds asynchronous signals until the thread next enters one of its
// interceptors, which never happens inside uninstrumented compiled wasm (so deadline timers
// cannot fire there), and it does not survive a siglongjmp out of a fault handler running on
// an alternate stack (out-of-bounds and stack-overflow traps). TSan builds check what it can:
// concurrent calls on separate instances.
#if defined(__SANITIZE_THREAD__)
constexpr bool kDeadlineSignalsWork = false;
constexpr bool kFaultTrapsWork = false;
#else
constexpr bool kDeadlineSignalsWork = true;
constexpr bool kFaultTrapsWork = true;
#endif

class AotDeadline : public CacheTest {
 protected:
  void SetUp() override {
    if (!kDeadlineSignalsWork) GTEST_SKIP() << "deadline signals cannot reach compiled wasm under TSan";
    CacheTest::SetUp();
  }
};

TEST_F(AotDeadline, InfiniteLoopTrapsWithinTwiceTheDeadline) {
  Limits limits;
  limits.deadline = 200ms;
  auto e = engine(Tier::Aot);
  Module module = loadGuest("aot_compute");
  auto instance = instantiate(*e, module, {}, limits);
  for (int round = 0; round < 2; ++round) {
    auto start = Clock::now();
    auto r = instance->call("spin", {});
    auto elapsed = Clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
    EXPECT_EQ(r.error().message, "deadline exceeded");
    EXPECT_GE(elapsed, 190ms);
    EXPECT_LT(elapsed, 400ms);
    // The instance, the thread and the process keep working.
    auto ok = call(*instance, "fib", {i32(20)});
    ASSERT_TRUE(ok) << ok.error().describe();
    EXPECT_EQ((*ok)[0].asI64(), 6765u);
    auto oob = instance->call("oob", {});
    ASSERT_FALSE(oob);
    EXPECT_EQ(oob.error().message, kOob);
  }
  // A call that finishes in time is not interrupted later by a stale timer.
  EXPECT_TRUE(instance->call("answer", {}));
  std::this_thread::sleep_for(250ms);
  auto other = instantiate(*e, module);
  auto r = call(*other, "hash", {i32(60000), i32(3)});
  EXPECT_TRUE(r) << r.error().describe();
}

TEST_F(AotDeadline, ExpiringInsideTheRuntimeIsSafe) {
  // table.grow runs pelato's wasm-rt (realloc) on the guest's behalf, outside the host-call
  // bridge: a deadline that fires in there must not unwind through malloc's locks.
  std::shared_ptr<Engine> e = engine(Tier::Aot);
  Module module = loadGuest("aot_table_churn");
  Limits limits;
  limits.deadline = 3ms;
  auto done = std::make_shared<std::atomic<int>>(0);
  std::thread worker([e, module, limits, done] {  // by value: it may have to be abandoned
    for (int i = 0; i < 1000 && *done < 100; ++i) {
      auto instance = e->instantiate(module, {}, limits);
      if (!instance) continue;  // instantiation, under the same deadline, was slow: try again
      auto r = (*instance)->call("grow_forever", {});
      if (r || r.error().kind != Trap::Kind::Deadline) break;
      std::vector<std::string> churn(100, std::string(1000, 'x'));  // malloc after the jump
      ++*done;
    }
  });
  for (int i = 0; i < 300 && *done < 100; ++i) std::this_thread::sleep_for(100ms);
  if (*done < 100) {
    worker.detach();  // stuck for good; its test fails
    FAIL() << "after " << *done << " calls, the worker hangs (deadlocked?) or a call did not end with a deadline";
  }
  worker.join();
}

TEST_F(AotDeadline, ExpiringInsideAHostCallTrapsWhenItReturns) {
  auto wasi = WasiContext::create({});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  Limits limits;
  limits.deadline = 100ms;
  auto instance = instantiate(*engine(Tier::Aot), loadGuest("aot_sleep"), host, limits);

  auto start = Clock::now();
  auto r = call(*instance, "sleep_ms", {i64(500)});
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(r) << show(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  EXPECT_EQ(r.error().message, "deadline exceeded");
  // The host call may stop waiting at the deadline (HostCall::deadline) or sleep its full
  // 500 ms; either way the trap comes after it returns, and the guest does not go on.
  EXPECT_GE(elapsed, 95ms);
  EXPECT_LT(elapsed, 1000ms);
  auto returned = instance->call("returned", {});
  ASSERT_TRUE(returned);
  EXPECT_EQ((*returned)[0].asI32(), 0u);

  // A short sleep within the deadline completes, and nothing is left pending.
  auto quick = call(*instance, "sleep_ms", {i64(10)});
  ASSERT_TRUE(quick) << quick.error().describe();
  EXPECT_EQ((*quick)[0].asI32(), 0u);
  EXPECT_EQ((*instance->call("returned", {}))[0].asI32(), 1u);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ((*instance->call("answer", {}))[0].asI32(), 42u);
}

// ---- 4. memory limits ----

using AotMemory = AotParity;

TEST_F(AotMemory, InitialMemoryAboveTheLimitIsAnError) {
  Limits limits;
  limits.maxMemoryPages = Limits::pagesForMiB(16);
  Module module = loadGuest("aot_big_initial");
  auto aot = engine(Tier::Aot)->instantiate(module, {}, limits);
  ASSERT_FALSE(aot);
  EXPECT_EQ(aot.error().message(),
            "the module needs 64 MiB of memory at start, above the limit of 16 MiB; raise --max-memory-mb");
  auto interp = engine(Tier::Interp)->instantiate(module, {}, limits);
  ASSERT_FALSE(interp);
  EXPECT_EQ(interp.error().message(), aot.error().message());
  limits.maxMemoryPages = 1024;  // exactly enough
  auto fits = instantiate(*engine(Tier::Aot), module, {}, limits);
  EXPECT_EQ((*fits->call("size", {}))[0].asI32(), 1024u);
}

TEST_F(AotMemory, GrowPastTheLimitReturnsMinusOne) {
  Limits limits;
  limits.maxMemoryPages = 32;  // 2 MiB; the module declares no maximum
  std::vector<Call> calls = {
      {"size", {}},
      {"grow", {i32(20)}},
      {"boom", {}},  // 23 of 32 pages: no word about memory
      {"grow", {i32(5)}},
      {"grow", {i32(10)}},  // 28 + 10 > 32
      {"grow", {i32(4)}},
      {"grow", {i32(1)}},
      {"grow", {i32(0)}},
      {"size", {}},
      {"poke", {i32(32 * 65536 - 1), i32(7)}},
      {"peek", {i32(32 * 65536 - 1)}},
      {"peek", {i32(32 * 65536)},
       kOob + ": access at 2097152+1 >= max value 2097152 (the memory limit of 2 MiB was reached)",
       kOob + " (the memory limit of 2 MiB was reached)"},
      {"boom", {}},  // at the limit: the trap says so, on both tiers
  };
  expectParity("aot_memory", calls, {}, limits);
}

TEST_F(AotMemory, NearTheLimitTheTrapSaysSo) {
  // The interpreter mentions a memory close to the limit (an allocator that failed to grow
  // usually ends in abort(), i.e. "unreachable"); the AOT tier must say the same.
  Limits limits;
  limits.maxMemoryPages = 32;
  Module module = loadGuest("aot_memory");
  auto interp = instantiate(*engine(Tier::Interp), module, {}, limits);
  auto aot = instantiate(*engine(Tier::Aot), module, {}, limits);
  for (auto* instance : {interp.get(), aot.get()}) {
    ASSERT_EQ((*call(*instance, "grow", {i32(26)}))[0].asI32(), 3u);
    auto r = instance->call("boom", {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "unreachable executed (memory use was 1 MiB, near the memory limit of 2 MiB)");
  }
}

TEST_F(AotMemory, TablesAreCappedAsOnTheInterpreter) {
  // Tables live in host memory and maxMemoryPages does not cover them: both tiers cap them at
  // 10M elements, so that a few bytes of module cannot make the host allocate gigabytes.
  Module big = loadGuest("limits_big_table");
  auto interp = engine(Tier::Interp)->instantiate(big, {}, {});
  auto aot = engine(Tier::Aot)->instantiate(big, {}, {});
  ASSERT_FALSE(interp);
  ASSERT_FALSE(aot) << "a table of 4e9 elements was allocated";
  EXPECT_EQ(aot.error().message(), interp.error().message());
  expectParity("limits_table_grow", {
      {"grow", {i32(100'000'000)}},
      {"grow", {i32(10'000'000)}},
      {"grow", {i32(1000)}},
      {"size", {}},
      {"grow", {i32(-1)}},
  });
}

TEST_F(AotMemory, InstancesReleaseTheirMemory) {
  auto e = engine(Tier::Aot);
  Module module = loadGuest("aot_one_page");
  { auto warm = instantiate(*e, module); }
  const aot::PoolStats before = aot::poolStats();
  const size_t inUse = before.reserved - before.pooled;  // other live instances (none, normally)

  // 300 at once: more than the pool keeps; destroying them gives the excess back.
  {
    std::vector<std::unique_ptr<Instance>> live;
    for (int i = 0; i < 300; ++i) live.push_back(instantiate(*e, module));
    EXPECT_GE(aot::poolStats().reserved, inUse + 300);
    for (auto& instance : live) EXPECT_EQ((*instance->call("first", {}))[0].asI32(), 42u);
  }
  EXPECT_LE(aot::poolStats().reserved, inUse + 256);
  EXPECT_EQ(aot::poolStats().pooled, 256u);

  // Churn: every instance gets a wiped memory, and the reservations stay bounded.
  size_t most = 0;
  for (int i = 0; i < 20000; ++i) {
    auto instance = instantiate(*e, module);
    auto before = call(*instance, "at16");
    ASSERT_TRUE(before && (*before)[0].asI32() == 0) << "instance " << i << " sees " << show(before);
    auto seen = call(*instance, "touch", {i32(i + 1)});
    ASSERT_TRUE(seen) << seen.error().describe();
    ASSERT_EQ((*seen)[0].asI32(), uint32_t(i + 1));
    if (i % 1000 == 0) {
      auto first = instance->call("first", {});
      ASSERT_EQ((*first)[0].asI32(), 42u);  // the data segment, not the previous instance's bytes
      most = std::max(most, aot::poolStats().reserved);
    }
  }
  EXPECT_LE(most, inUse + 256);
  EXPECT_LE(aot::poolStats().reserved, inUse + 256);
}

TEST_F(AotMemory, ReusedMemoryIsZeroed) {
  auto e = engine(Tier::Aot);
  Module module = loadGuest("aot_memory");
  for (int i = 0; i < 3; ++i) {
    auto instance = instantiate(*e, module);
    ASSERT_EQ((*call(*instance, "grow", {i32(2)}))[0].asI32(), 3u);
    for (uint32_t at : {0u, 65536u * 3 - 1, 65536u * 4 + 17}) {
      auto peek = call(*instance, "peek", {i32(at)});
      ASSERT_TRUE(peek) << peek.error().describe();
      EXPECT_EQ((*peek)[0].asI32(), 0u) << "round " << i << " at " << at;
      ASSERT_TRUE(call(*instance, "poke", {i32(at), i32(0x5a)}));
    }
  }
}

// ---- 5. threads ----

uint32_t fnv(uint32_t len, uint32_t seed) {
  uint32_t h = 0x811c9dc5;
  for (uint32_t i = 0; i < len; ++i) h = (h ^ static_cast<uint8_t>(i * seed)) * 0x01000193;
  return h;
}

using AotThreads = CacheTest;


TEST_F(AotThreads, InstancesRunInParallelAndTrapsStayOnTheirThread) {
  auto e = engine(Tier::Aot);
  Module module = loadGuest("aot_compute");
  ASSERT_TRUE(e->compile(module));
  constexpr int kWorkers = 8;
  const auto until = Clock::now() + 2s;
  std::atomic<int> failures{0};
  std::atomic<bool> trapsDone{false};
  std::vector<uint64_t> calls(kWorkers, 0);
  std::vector<std::string> firstFailure(kWorkers + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kWorkers; ++t) {
    threads.emplace_back([&, t] {
      auto fail = [&](std::string what) {
        ++failures;
        firstFailure[t] = std::move(what);
      };
      auto instance = e->instantiate(module, {}, {});
      if (!instance) return fail(instance.error().message());
      const uint32_t seed = t + 1, len = 1000 + 100 * t;
      const uint32_t expected = fnv(len, seed);
      while (Clock::now() < until || !trapsDone) {
        auto f = call(*(*instance), "fib", {i32(18)});
        if (!f || (*f)[0].asI64() != 2584) return fail("fib: " + show(f));
        auto h = call(*(*instance), "hash", {i32(len), i32(seed)});
        if (!h || (*h)[0].asI32() != expected) return fail("hash: " + show(h));
        ++calls[t];
      }
    });
  }
  // One more thread traps all the time: out of bounds, stack overflow on its own stack, and
  // deadlines on a spinning loop.
  uint64_t rounds = 0;
  threads.emplace_back([&] {
    auto fail = [&](std::string what) {
      ++failures;
      firstFailure[kWorkers] = std::move(what);
      trapsDone = true;
    };
    Limits limits;
    limits.deadline = 20ms;
    auto timed = e->instantiate(module, {}, limits);  // for the deadlines
    auto instance = e->instantiate(module, {}, {});   // the rest, which a busy machine may slow
    if (!timed || !instance) return fail("cannot instantiate");
    while (Clock::now() < until) {
      if (kFaultTrapsWork) {
        auto oob = (*instance)->call("oob", {});
        if (oob || oob.error().message != kOob) return fail("oob: " + show(oob));
        auto deep = (*instance)->call("recurse", {});
        if (deep || deep.error().message != "call stack exhausted") return fail("recurse: " + show(deep));
      }
      if (kDeadlineSignalsWork) {
        auto spin = (*timed)->call("spin", {});
        if (spin || spin.error().kind != Trap::Kind::Deadline) return fail("spin: " + show(spin));
      }
      auto answer = (*instance)->call("answer", {});
      if (!answer || (*answer)[0].asI32() != 42) return fail("answer: " + show(answer));
      ++rounds;
    }
    trapsDone = true;
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0) << fmt::format("{}", fmt::join(firstFailure, " | "));
  for (int t = 0; t < kWorkers; ++t) EXPECT_GT(calls[t], 10u) << "worker " << t;
  EXPECT_GT(rounds, 10u);
}

// ---- 6. the artifact cache ----

class AotCache : public CacheTest {
 protected:
  aot::Compiler compiler() {
    auto c = aot::Compiler::create({.cacheDir = cacheDir()});
    if (!c) throw std::runtime_error(c.error().message());
    return std::move(*c);
  }

  static void overwrite(const fs::path& path, uint64_t offset, std::string_view bytes) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  static void expectRuns(const fs::path& so, const Module& module) {
    auto artifact = AotArtifact::load(so, module);
    ASSERT_TRUE(artifact) << artifact.error().message();
    auto instance = instantiateAot(module, *artifact, {}, {});
    ASSERT_TRUE(instance) << instance.error().message();
    auto r = call(*(*instance), "fib", {i32(10)});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ((*r)[0].asI64(), 55u);
  }

  static fs::path metaOf(fs::path so) { return so.replace_extension(".json"); }
};

TEST_F(AotCache, CorruptArtifactIsRebuilt) {
  auto c = compiler();
  Module module = loadGuest("aot_compute");
  EXPECT_FALSE(c.cached(module));
  auto so = c.compile(module);
  ASSERT_TRUE(so) << so.error().message();
  EXPECT_EQ(so->parent_path(), cacheDir() / "aot");
  EXPECT_EQ(c.cached(module), *so);
  EXPECT_TRUE(fs::exists(metaOf(*so)));

  // A flipped byte in the shared object.
  overwrite(*so, fs::file_size(*so) / 2, std::string(64, '\xab'));
  EXPECT_FALSE(c.cached(module));
  EXPECT_FALSE(fs::exists(*so)) << "a corrupt artifact is removed";
  EXPECT_FALSE(fs::exists(metaOf(*so)));
  auto rebuilt = c.compile(module);
  ASSERT_TRUE(rebuilt) << rebuilt.error().message();
  EXPECT_EQ(*rebuilt, *so);
  EXPECT_EQ(c.cached(module), *so);

  // A torn write: the shared object cut short.
  fs::resize_file(*so, fs::file_size(*so) / 3);
  EXPECT_FALSE(c.cached(module));
  ASSERT_TRUE(c.compile(module));

  // Metadata that is not JSON.
  overwrite(metaOf(*so), 0, "#! garbage");
  EXPECT_FALSE(c.cached(module));
  ASSERT_TRUE(c.compile(module));

  // Metadata without the shared object.
  fs::remove(*so);
  EXPECT_FALSE(c.cached(module));
  ASSERT_TRUE(c.compile(module));

  expectRuns(*so, module);
  // Only the artifact and its metadata are left: no build directories.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(cacheDir() / "aot")) {
    ++files;
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(::testing::StartsWith(".build")));
  }
  EXPECT_EQ(files, 2u);
}

TEST_F(AotCache, ForeignArtifactIsRejected) {
  auto c = compiler();
  Module mine = loadGuest("aot_compute"), theirs = loadGuest("aot_one_page");
  auto so = c.compile(mine);
  auto other = c.compile(theirs);
  ASSERT_TRUE(so && other);
  ASSERT_NE(*so, *other);

  // Someone else's artifact and metadata, stored under this module's key.
  fs::copy_file(*other, *so, fs::copy_options::overwrite_existing);
  fs::copy_file(metaOf(*other), metaOf(*so), fs::copy_options::overwrite_existing);
  EXPECT_FALSE(c.cached(mine));
  EXPECT_FALSE(fs::exists(*so));
  EXPECT_EQ(c.cached(theirs), *other) << "the other module's entry is untouched";

  // Someone else's shared object next to this module's metadata.
  ASSERT_TRUE(c.compile(mine));
  fs::copy_file(*other, *so, fs::copy_options::overwrite_existing);
  EXPECT_FALSE(c.cached(mine));

  // Metadata forged to match the foreign shared object: the loader checks the digest compiled
  // into the artifact itself.
  ASSERT_TRUE(c.compile(mine));
  fs::copy_file(*other, *so, fs::copy_options::overwrite_existing);
  auto bytes = readFile(*so);
  ASSERT_TRUE(bytes);
  auto meta = nlohmann::json::parse(*readTextFile(metaOf(*so)));
  meta["sha256"] = sha256Hex(*bytes);
  std::string text = meta.dump();
  ASSERT_TRUE(writeFileAtomic(metaOf(*so), {reinterpret_cast<const uint8_t*>(text.data()), text.size()}));
  ASSERT_EQ(c.cached(mine), *so);
  auto loaded = AotArtifact::load(*so, mine);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message(), HasSubstr("is not a pelato artifact for this module"));

  // After a clean rebuild the module runs.
  fs::remove(*so);
  auto again = c.compile(mine);
  ASSERT_TRUE(again) << again.error().message();
  expectRuns(*again, mine);
}

TEST_F(AotCache, ConcurrentCompilesOfOneModuleAllLoad) {
  // Processes (or threads) that compile the same module at once all rename their artifact to
  // the same path; whoever checks the cache meanwhile must not find a mismatched pair and
  // delete the artifact that another is about to load.
  auto c = compiler();
  Module module = loadGuest("aot_compute");
  for (int round = 0; round < 3; ++round) {
    std::error_code ignored;
    fs::remove_all(cacheDir() / "aot", ignored);
    std::atomic<int> done{0};
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        auto so = c.compile(module);
        if (!so) errors[t] = so.error().message();
        else if (auto artifact = AotArtifact::load(*so, module); !artifact) errors[t] = artifact.error().message();
        ++done;
      });
    }
    threads.emplace_back([&] {
      while (done < 4) (void)c.cached(module);
    });
    for (auto& t : threads) t.join();
    for (int t = 0; t < 4; ++t) EXPECT_EQ(errors[t], "") << "round " << round << ", thread " << t;
    EXPECT_TRUE(c.cached(module)) << "round " << round;
  }
}

TEST_F(AotCache, KeyDependsOnTheModuleAndTheBoundsCheckMode) {
  auto c = compiler();
  Module a = loadGuest("aot_compute"), b = loadGuest("aot_one_page");
  EXPECT_EQ(c.cacheKey(a, false), c.cacheKey(a, false));
  EXPECT_NE(c.cacheKey(a, false), c.cacheKey(b, false));
  EXPECT_NE(c.cacheKey(a, false), c.cacheKey(a, true));
  EXPECT_EQ(c.cacheKey(a, false).size(), 32u);
  EXPECT_FALSE(c.identity().empty());
}

// ---- 8. glue ----

TEST(AotGlue, MangleMatchesWasm2c) {
  EXPECT_EQ(aot::mangle("we.ird"), "Z_weZ2Eird");
  EXPECT_EQ(aot::mangle("Z"), "Z_Z5A");
  EXPECT_EQ(aot::mangle("a_b"), "Z_a_b");
  EXPECT_EQ(aot::mangle(""), "Z_");
  EXPECT_EQ(aot::mangle("m"), "Z_m");
  EXPECT_EQ(aot::mangle("na-me Z"), "Z_naZ2DmeZ20Z5A");
  EXPECT_EQ(aot::mangle("ex.p/Z_"), "Z_exZ2EpZ2FZ5A_");
  EXPECT_EQ(aot::mangle("z9_Y"), "Z_z9_Y");
  EXPECT_EQ(aot::mangle("h\xc3\xa9"), "Z_hZC3ZA9");
  EXPECT_EQ(aot::mangle(std::string_view("\0\x7f", 2)), "Z_Z00Z7F");
}

TEST(AotGlue, MangleAgreesWithTheWasm2cHeader) {
  // The declarations wasm2c writes for odd names are exactly what the glue calls.
  auto dir = TempDir::create("pelato-glue-test");
  ASSERT_TRUE(dir);
  Module module = loadGuest("aot_odd_names");
  auto wasm = dir->path() / "m.wasm";
  ASSERT_TRUE(writeFileAtomic(wasm, module.bytes()));
  auto r = runProcess({"wasm2c", wasm.string(), "-n", std::string(aot::kModuleName), "-o",
                       (dir->path() / "m.c").string()});
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->exitCode, 0) << r->err;
  auto header = readTextFile(dir->path() / "m.h");
  ASSERT_TRUE(header);
  const std::string self = aot::mangle(aot::kModuleName);
  for (const auto& e : module.exports()) {
    std::string name = self + aot::mangle(e.name) + "(";
    EXPECT_THAT(*header, HasSubstr(name)) << "export '" << e.name << "'";
  }
  for (const auto& i : module.imports()) {
    std::string name = aot::mangle(i.module) + aot::mangle(i.name) + "(struct " + aot::mangle(i.module) + "_instance_t*";
    EXPECT_THAT(*header, HasSubstr(name)) << "import '" << i.module << "' '" << i.name << "'";
  }
}

using AotGlueNames = AotParity;

TEST_F(AotGlueNames, OddImportAndExportNamesCompileAndRun) {
  HostFunctions host;
  host.add({"na-me Z", "ex.p/Z_", FuncType{{ValType::I32}, {ValType::I32}}, [](HostCall& call) -> HostOutcome {
              if (call.args[0] == 13) return std::unexpected(Trap{Trap::Kind::HostError, "unlucky"});
              call.results[0] = uint32_t(call.args[0] * 3 + 1);
              return {};
            }});
  host.add({"env", "Z", FuncType{{ValType::I64, ValType::F64}, {ValType::F64}}, [](HostCall& call) -> HostOutcome {
              call.results[0] = std::bit_cast<uint64_t>(double(int64_t(call.args[0])) + std::bit_cast<double>(call.args[1]));
              return {};
            }});
  expectParity("aot_odd_names", {
      {"na-me Z", {i32(5)}},
      {"na-me Z", {i32(13)}},  // the host function fails: its trap comes through unchanged
      {"na-me Z", {i32(6)}},
      {"ex.p/Z_", {i64(-3), f64(0.25)}},
      {"Z", {}},
      {"Z_", {}},
      {"_Z", {}},
      {"h\xc3\xa9llo w" + std::string(1, '\0') + "rld", {}},
      {"", {}},
  }, host);
  auto instance = instantiate(*engine(Tier::Aot), loadGuest("aot_odd_names"), host);
  EXPECT_EQ(instance->memory().size(), 65536u) << "the only memory, exported as 'mem/Z'";
  auto r = call(*instance, "na-me Z", {i32(13)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::HostError);
  EXPECT_EQ(r.error().message, "unlucky");
}

}  // namespace
}  // namespace pelato::runtime
