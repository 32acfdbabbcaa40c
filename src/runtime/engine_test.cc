// The engine's choice of tier: interp and aot as asked, auto on the interpreter until the
// artifact is ready (built by a background thread, or found in the cache), SIMD modules kept
// on the interpreter, compile() served from the cache.
#include "runtime/engine.h"
#include "runtime/test_guests.h"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file.h"

namespace pelato::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

CallResult call(Instance& instance, std::string_view fn, const std::vector<Value>& args = {}) {
  return instance.call(fn, args);
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::create("pelato-engine-test");
    ASSERT_TRUE(dir) << dir.error().message();
    cache_.emplace(std::move(*dir));
  }

  std::unique_ptr<Engine> engine(Tier tier, EngineOptions::Background background = EngineOptions::Background::Thread) {
    auto e = Engine::create({.tier = tier, .cacheDir = cache_->path(), .background = background});
    if (!e) throw std::runtime_error(e.error().message());
    return std::move(*e);
  }

  static std::unique_ptr<Instance> instantiate(Engine& engine, const Module& module) {
    auto instance = engine.instantiate(module, {}, {});
    if (!instance) throw std::runtime_error(instance.error().message());
    return std::move(*instance);
  }

  // Which tier an instance runs on, from the outside: the interpreter names the function that
  // trapped, compiled code does not know it.
  static Tier tierOf(Instance& instance) {
    auto r = call(instance, "oob");
    EXPECT_FALSE(r);
    EXPECT_THAT(r.error().message, ::testing::StartsWith("out of bounds memory access"));
    return r.error().function.empty() ? Tier::Aot : Tier::Interp;
  }

  size_t artifacts() const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cache_->path() / "aot", ec))
      n += entry.path().extension() == ".so";
    return n;
  }

  std::optional<TempDir> cache_;
};

using EngineTiers = EngineTest;

TEST(EngineTierNames, ParseAndPrint) {
  for (Tier t : {Tier::Interp, Tier::Aot, Tier::Auto}) EXPECT_EQ(*parseTier(toString(t)), t);
  auto bad = parseTier("jit");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "unknown tier 'jit': use interp, aot or auto");
}

TEST_F(EngineTiers, InterpAndAotAreWhatTheySay) {
  Module module = loadGuest("aot_compute");
  auto interp = engine(Tier::Interp);
  EXPECT_EQ(interp->tierFor(module), Tier::Interp);
  EXPECT_EQ(tierOf(*instantiate(*interp, module)), Tier::Interp);
  EXPECT_FALSE(interp->compile(module));
  EXPECT_EQ(artifacts(), 0u);

  auto aot = engine(Tier::Aot);
  EXPECT_EQ(aot->tierFor(module), Tier::Aot);
  EXPECT_EQ(tierOf(*instantiate(*aot, module)), Tier::Aot);
  EXPECT_EQ(artifacts(), 1u);
}

TEST_F(EngineTiers, CompileTwiceReusesTheArtifact) {
  Module module = loadGuest("aot_compute");
  auto e = engine(Tier::Aot);
  auto first = e->compile(module);
  ASSERT_TRUE(first) << first.error().message();
  auto mtime = fs::last_write_time(*first);
  auto inode = [](const fs::path& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
  };
  const auto firstInode = inode(*first);
  std::this_thread::sleep_for(20ms);
  auto second = e->compile(module);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(fs::last_write_time(*second), mtime) << "rebuilt instead of reused";
  EXPECT_EQ(inode(*second), firstInode);
  // Another engine on the same cache finds it too.
  auto third = engine(Tier::Aot)->compile(module);
  ASSERT_TRUE(third);
  EXPECT_EQ(*third, *first);
  EXPECT_EQ(fs::last_write_time(*third), mtime);
  EXPECT_EQ(artifacts(), 1u);
}

TEST_F(EngineTiers, ConcurrentFirstInstancesOnAot) {
  // Threads that all need the same module's artifact at once, before it exists.
  Module module = loadGuest("aot_compute");
  auto e = engine(Tier::Aot);
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto instance = e->instantiate(module, {}, {});
      if (!instance) return void(errors[t] = instance.error().message());
      auto r = call(**instance, "fib", {Value::i32(12)});
      if (!r || (*r)[0].asI64() != 144) errors[t] = "fib(12) went wrong";
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(artifacts(), 1u);
}

using EngineTierUp = EngineTest;

TEST_F(EngineTierUp, AutoStartsInterpretedAndMovesToAot) {
  Module module = loadGuest("aot_compute");
  auto e = engine(Tier::Auto);
  EXPECT_EQ(e->tierFor(module), Tier::Interp);
  auto start = std::chrono::steady_clock::now();
  auto first = instantiate(*e, module);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e->tierFor(module), Tier::Interp) << "instantiate waited for the compiler";
  EXPECT_LT(took, 1s);
  EXPECT_EQ(tierOf(*first), Tier::Interp);
  auto interpFib = call(*first, "fib", {Value::i32(22)});
  ASSERT_TRUE(interpFib) << interpFib.error().describe();

  e->waitForBackgroundWork();
  EXPECT_EQ(e->tierFor(module), Tier::Aot);
  auto second = instantiate(*e, module);
  EXPECT_EQ(tierOf(*second), Tier::Aot);
  auto aotFib = call(*second, "fib", {Value::i32(22)});
  ASSERT_TRUE(aotFib) << aotFib.error().describe();
  EXPECT_EQ(*aotFib, *interpFib);
  EXPECT_EQ((*aotFib)[0].asI64(), 17711u);
  auto h1 = call(*first, "hash", {Value::i32(5000), Value::i32(7)});
  auto h2 = call(*second, "hash", {Value::i32(5000), Value::i32(7)});
  ASSERT_TRUE(h1 && h2);
  EXPECT_EQ(*h1, *h2);
  // The first instance stays on the interpreter and keeps working.
  EXPECT_EQ(tierOf(*first), Tier::Interp);
  EXPECT_EQ(artifacts(), 1u);
}

TEST_F(EngineTierUp, CachedArtifactIsUsedAtOnce) {
  Module module = loadGuest("aot_compute");
  ASSERT_TRUE(engine(Tier::Aot)->compile(module));
  auto e = engine(Tier::Auto);
  EXPECT_EQ(tierOf(*instantiate(*e, module)), Tier::Aot);
  EXPECT_EQ(e->tierFor(module), Tier::Aot);
}

TEST_F(EngineTierUp, WithoutBackgroundCompilationAutoStaysInterpreted) {
  Module module = loadGuest("aot_compute");
  auto e = engine(Tier::Auto, EngineOptions::Background::None);
  EXPECT_EQ(tierOf(*instantiate(*e, module)), Tier::Interp);
  e->waitForBackgroundWork();
  EXPECT_EQ(e->tierFor(module), Tier::Interp);
  EXPECT_EQ(tierOf(*instantiate(*e, module)), Tier::Interp);
  EXPECT_EQ(artifacts(), 0u);
}

TEST_F(EngineTierUp, EngineDestroyedWhileCompilingDoesNotHang) {
  Module module = loadGuest("aot_compute");
  auto e = engine(Tier::Auto);
  auto instance = instantiate(*e, module);
  e.reset();  // joins the worker
  EXPECT_TRUE(call(*instance, "answer"));
}

TEST_F(EngineTierUp, SimdStaysOnTheInterpreter) {
  Module module = loadGuest("aot_simd");
  auto e = engine(Tier::Auto);
  auto first = instantiate(*e, module);
  auto r = call(*first, "lanes", {Value::i32(40), Value::i32(2)});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 42u);
  e->waitForBackgroundWork();
  EXPECT_EQ(e->tierFor(module), Tier::Interp);
  auto second = instantiate(*e, module);  // does not queue the module again
  e->waitForBackgroundWork();
  EXPECT_TRUE(call(*second, "lanes", {Value::i32(1), Value::i32(2)}));
  EXPECT_EQ(artifacts(), 0u);

  auto aot = engine(Tier::Aot);
  auto refused = aot->instantiate(module, {}, {});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("--tier aot: "));
  EXPECT_THAT(refused.error().message(), HasSubstr("SIMD"));
  auto compiled = aot->compile(module);
  ASSERT_FALSE(compiled);
  EXPECT_THAT(compiled.error().message(), HasSubstr("SIMD"));
  EXPECT_EQ(artifacts(), 0u);
}

}  // namespace
}  // namespace pelato::runtime
