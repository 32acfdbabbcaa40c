#include "runtime/task_abi.h"

#include <gtest/gtest.h>

#include "runtime/wasi_context.h"

namespace pelato::runtime {
namespace {

struct Task {
  std::unique_ptr<WasiContext> wasi;
  std::optional<TaskRunner> runner;
};

Task load(const std::string& name) {
  Task t;
  auto module = Module::loadFile(std::string(PELATO_GUEST_DIR) + "/" + name + ".wasm");
  EXPECT_TRUE(module) << module.error().message();
  t.wasi = std::move(*WasiContext::create({}));
  HostFunctions host;
  host.add(t.wasi->functions());
  auto runner = TaskRunner::create([m = *module, host] { return instantiateInterp(m, host, Limits{}); });
  EXPECT_TRUE(runner) << runner.error().message();
  t.runner.emplace(std::move(*runner));
  return t;
}

TEST(TaskAbi, CTaskKeepsStateAcrossCalls) {
  auto t = load("upper_task");
  EXPECT_EQ(*t.runner->run("hello"), "HELLO #1");
  EXPECT_EQ(*t.runner->run(""), " #2");
  EXPECT_EQ(*t.runner->run("edge to cloud"), "EDGE TO CLOUD #3");
}

TEST(TaskAbi, CppTaskUsesTheStandardLibrary) {
  auto t = load("word_count_task");
  EXPECT_EQ(*t.runner->run("b a b"), "a=1\nb=2\n");
}

TEST(TaskAbi, LargeInputsRoundTrip) {
  auto t = load("upper_task");
  std::string big(1 << 20, 'x');
  auto out = t.runner->run(big);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(out->size(), big.size() + 3);
  EXPECT_EQ(out->substr(0, 3), "XXX");
}

TEST(TaskAbi, TrapIsReportedAndAFreshInstanceTakesTheNextMessage) {
  auto t = load("word_count_task");
  EXPECT_EQ(*t.runner->run("a"), "a=1\n");
  auto trap = t.runner->run("trap");
  ASSERT_FALSE(trap);
  EXPECT_EQ(trap.error().kind, Trap::Kind::Trap);
  EXPECT_NE(trap.error().message.find("unreachable"), std::string::npos) << trap.error().message;
  EXPECT_EQ(t.runner->restarts(), 1u);
  EXPECT_EQ(*t.runner->run("x"), "x=1\n");
}

TEST(TaskAbi, CommandModuleIsNotATask) {
  // A WASI command exports _start; checkTaskAbi must explain what to do.
  auto module = Module::loadFile(std::string(PELATO_GUEST_DIR) + "/task_as_command.wasm");
  ASSERT_TRUE(module) << module.error().message();
  auto ok = checkTaskAbi(*module);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message().find("-mexec-model=reactor"), std::string::npos) << ok.error().message();
}

}  // namespace
}  // namespace pelato::runtime
