// The interpreter tier's error paths: imports that cannot be resolved, traps and how they are
// reported, the task ABI's checks, instances that keep working after a trap, argument parsing.
#include "runtime/instance.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/task_abi.h"
#include "runtime/value.h"
#include "runtime/wasi_context.h"
#include "runtime/test_guests.h"

namespace pelato::runtime {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::unique_ptr<Instance> instantiate(std::string_view name, const HostFunctions& host = {},
                                      const Limits& limits = {}) {
  auto instance = instantiateInterp(loadGuest(name), host, limits);
  if (!instance) throw std::runtime_error(instance.error().message());
  return std::move(*instance);
}

// ---- imports ----

TEST(InterpImports, MissingImportIsNamed) {
  auto r = instantiateInterp(loadGuest("limits_missing_import"), {}, {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("imports function env.host_magic (i32) -> (i32)"));
  EXPECT_THAT(r.error().message(), HasSubstr("which this host does not provide"));
}

TEST(InterpImports, MissingImportIsResolvedByAHostFunction) {
  HostFunctions host;
  host.add({"env", "host_magic", FuncType{{ValType::I32}, {ValType::I32}}, [](HostCall& call) -> HostOutcome {
              call.results[0] = call.args[0] + 41;
              return {};
            }});
  auto instance = instantiate("limits_missing_import", host);
  auto r = instance->call("call_magic", {});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 42u);
}

TEST(InterpImports, WrongImportTypeNamesBothTypes) {
  auto wasi = WasiContext::create({});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  auto r = instantiateInterp(loadGuest("limits_wrong_import_type"), host, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "the module imports wasi_snapshot_preview1.proc_exit with type (i64) -> (), but the host's "
            "wasi_snapshot_preview1.proc_exit has type (i32) -> ()");
}

TEST(InterpImports, HostFunctionOfAnotherTypeIsRejected) {
  HostFunctions host;
  host.add({"env", "host_magic", FuncType{{ValType::I64}, {ValType::I32}}, [](HostCall&) -> HostOutcome { return {}; }});
  auto r = instantiateInterp(loadGuest("limits_missing_import"), host, {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("env.host_magic with type (i32) -> (i32)"));
  EXPECT_THAT(r.error().message(), HasSubstr("has type (i64) -> (i32)"));
}

TEST(InterpImports, ImportedMemoryIsNotProvided) {
  auto r = instantiateInterp(loadGuest("limits_import_memory"), {}, {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("imports memory env.memory, but hosts only provide functions"));
}

TEST(InterpImports, OldWasiSnapshotGetsAHint) {
  auto wasi = WasiContext::create({});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  auto r = instantiateInterp(loadGuest("limits_old_wasi"), host, {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("wasi_unstable.fd_write"));
  EXPECT_THAT(r.error().message(), HasSubstr("rebuild it for wasi_snapshot_preview1"));
}

// ---- traps ----

TEST(InterpTraps, UnreachableNamesTheFunction) {
  auto instance = instantiate("limits_traps");
  auto r = instance->call("boom", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  EXPECT_EQ(r.error().message, "unreachable executed");
  EXPECT_EQ(r.error().function, "boom");
  EXPECT_EQ(r.error().describe(), "unreachable executed (in function boom)");
}

TEST(InterpTraps, NamesTheInnermostFunction) {
  auto instance = instantiate("limits_traps");
  auto r = instance->call("calls_boom", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().function, "boom");
}

TEST(InterpTraps, IntegerDivideByZero) {
  auto instance = instantiate("limits_traps");
  Value args[] = {Value::i32(7), Value::i32(0)};
  auto r = instance->call("div", args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  EXPECT_EQ(r.error().message, "integer divide by zero");
  EXPECT_EQ(r.error().describe(), "integer divide by zero (in function div)");
}

TEST(InterpTraps, IntegerOverflow) {
  auto instance = instantiate("limits_traps");
  Value args[] = {Value::i32(0x80000000u), Value::i32(0xffffffffu)};
  auto r = instance->call("div", args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "integer overflow");
}

TEST(InterpTraps, OutOfBoundsLoad) {
  auto instance = instantiate("limits_traps");
  auto r = instance->call("oob", {});
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("out of bounds"));
  EXPECT_EQ(r.error().function, "oob");
}

TEST(InterpTraps, InstanceKeepsWorkingAfterTraps) {
  Limits l;
  l.fuel = 1'000'000;
  auto instance = instantiate("limits_traps", {}, l);
  Value args[] = {Value::i32(7), Value::i32(0)};
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(instance->call("boom", {}));
    EXPECT_FALSE(instance->call("div", args));
    EXPECT_FALSE(instance->call("recurse", {}));
    EXPECT_FALSE(instance->call("spin", {}));
    auto r = instance->call("answer", {});
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ((*r)[0].asI32(), 42u);
  }
  Value ok[] = {Value::i32(42), Value::i32(6)};
  auto r = instance->call("div", ok);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 7u);
}

TEST(InterpTraps, HostFunctionErrorsAreReported) {
  HostFunctions host;
  host.add({"env", "host_magic", FuncType{{ValType::I32}, {ValType::I32}}, [](HostCall&) -> HostOutcome {
              return std::unexpected(Trap{Trap::Kind::HostError, "the host refused"});
            }});
  auto instance = instantiate("limits_missing_import", host);
  auto r = instance->call("call_magic", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::HostError);
  EXPECT_EQ(r.error().message, "the host refused");
  // And the next call's trap is its own, not a stale host error.
  auto again = instance->call("call_magic", {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "the host refused");
}

TEST(InterpCall, WrongExportOrArguments) {
  auto instance = instantiate("limits_traps");
  auto r = instance->call("nope", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::HostError);
  EXPECT_EQ(r.error().message, "the module exports no function 'nope'");

  r = instance->call("memory", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the module exports no function 'memory'");

  r = instance->call("div", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "'div' takes 2 arguments (i32, i32) -> (i32), got 0");

  Value wrong[] = {Value::i32(1), Value::i64(2)};
  r = instance->call("div", wrong);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "argument 2 of 'div' must be i32");
}

TEST(InterpCall, WasiPollOneoffWithExtremeTimeouts) {
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(devnull, 0);
  auto wasi = WasiContext::create({.stdoutFd = devnull});
  ASSERT_TRUE(wasi) << wasi.error().message();
  HostFunctions host;
  host.add((*wasi)->functions());
  auto instance = instantiate("limits_poll_overflow", host);
  auto start = std::chrono::steady_clock::now();
  for (auto [timeout, flags] : {std::pair<uint64_t, uint32_t>{INT64_MAX, 0}, {uint64_t(INT64_MIN), 1},
                                {UINT64_MAX, 0}, {UINT64_MAX, 1}, {INT64_MAX, 1}}) {
    Value args[] = {Value::i64(timeout), Value::i32(flags)};
    auto r = instance->call("poll", args);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ((*r)[0].asI32(), 0u) << "timeout " << timeout << " flags " << flags;
    auto n = instance->call("nevents", {});
    ASSERT_TRUE(n);
    EXPECT_GE((*n)[0].asI32(), 1u);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ::close(devnull);
}

// ---- the task ABI ----

TEST(TaskAbiCheck, MissingMemoryExport) {
  auto r = checkTaskAbi(loadGuest("limits_task_no_memory"));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("does not export its memory as 'memory'"));
}

TEST(TaskAbiCheck, WrongExecTaskSignature) {
  auto r = checkTaskAbi(loadGuest("limits_task_bad_signature"));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(),
              HasSubstr("'exec_task' has type (i32, i32) -> (i32), expected (i32, i32) -> (i64)"));
}

TEST(TaskAbiCheck, CommandGivenAsTask) {
  auto r = checkTaskAbi(loadGuest("limits_command"));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("it is a WASI command (exports _start)"));
  EXPECT_THAT(r.error().message(), HasSubstr("-mexec-model=reactor"));
}

TEST(TaskAbiCheck, NotATaskAtAll) {
  auto r = checkTaskAbi(loadGuest("limits_traps"));
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("does not export function 'pelato_alloc'"));
}

TEST(TaskAbiCheck, RealTaskPasses) {
  auto r = checkTaskAbi(loadGuest("limits_task"));
  EXPECT_TRUE(r) << r.error().message();
}

TEST(TaskAbiCheck, TaskRunnerRefusesABadModule) {
  auto r = TaskRunner::create([] { return Result<std::unique_ptr<Instance>>(instantiate("limits_task_bad_signature")); });
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("exec_task"));
}

struct Task {
  std::unique_ptr<WasiContext> wasi;
  std::optional<TaskRunner> runner;
};

Task loadTask(std::string_view name, const Limits& limits = {}) {
  Task t;
  auto wasi = WasiContext::create({});
  if (!wasi) throw std::runtime_error(wasi.error().message());
  t.wasi = std::move(*wasi);
  HostFunctions host;
  host.add(t.wasi->functions());
  auto runner = TaskRunner::create([name = std::string(name), host, limits] {
    return Result<std::unique_ptr<Instance>>(instantiate(name, host, limits));
  });
  if (!runner) throw std::runtime_error(runner.error().message());
  t.runner.emplace(std::move(*runner));
  return t;
}

TEST(TaskRunnerReuse, KeepsWorkingAfterATrap) {
  auto t = loadTask("limits_raw_task");
  auto r = t.runner->run("hello");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "hello");

  r = t.runner->run("!boom");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap);
  EXPECT_EQ(r.error().message, "unreachable executed");
  EXPECT_EQ(r.error().function, "exec_task");

  for (std::string input : {"again", "", "and again"}) {
    r = t.runner->run(input);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(*r, input);
  }
  // The trapped instance was replaced: the fresh one has seen only the three later messages.
  EXPECT_EQ(t.runner->restarts(), 1u);
  auto calls = t.runner->instance()->call("calls", {});
  ASSERT_TRUE(calls) << calls.error().describe();
  EXPECT_EQ((*calls)[0].asI32(), 3u);
}

TEST(TaskRunnerReuse, SdkTaskTrapOnFirstCall) {
  auto t = loadTask("limits_task");
  auto r = t.runner->run("trap");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unreachable executed");
  EXPECT_EQ(r.error().function, "exec_task");
  r = t.runner->run("after");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "echo: after");
}

// sdk/c/pelato.h used to free the previous result before exec_task but forget it only after, so a
// trap left it dangling and the next message freed it again (the output read "echo: echo:").
TEST(TaskRunnerReuse, SdkTaskKeepsWorkingAfterATrap) {
  auto t = loadTask("limits_task");
  auto r = t.runner->run("hello");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "echo: hello");
  r = t.runner->run("trap");
  ASSERT_FALSE(r);
  for (std::string input : {"again", "and again", "once more"}) {
    r = t.runner->run(input);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(*r, "echo: " + input);
  }
}

TEST(TaskRunnerReuse, KeepsWorkingAfterADeadline) {
  Limits l;
  l.deadline = 100ms;
  auto t = loadTask("limits_task", l);
  auto r = t.runner->run("spin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Deadline);
  r = t.runner->run("after");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "echo: after");
}

TEST(TaskRunnerReuse, StackExhaustionInCIsATrap) {
  Limits l;
  l.deadline = 10s;
  auto t = loadTask("limits_task", l);
  auto r = t.runner->run("recurse");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, Trap::Kind::Trap) << r.error().describe();
  // Either the wasm call stack or the C stack (in linear memory, below the data: wasm-ld's
  // --stack-first) runs out first.
  EXPECT_THAT(r.error().message, ::testing::AnyOf(HasSubstr("call stack exhausted"), HasSubstr("out of bounds")));
  EXPECT_EQ(r.error().function, "recurse");
}

// A trap does not unwind the C stack: wasm-ld's __stack_pointer keeps the value it had when the
// guest trapped (below 0 after an overflow). The TaskRunner replaces the instance, so the next
// message still works.
TEST(TaskRunnerReuse, KeepsWorkingAfterStackExhaustion) {
  Limits l;
  l.deadline = 10s;
  auto t = loadTask("limits_task", l);
  ASSERT_FALSE(t.runner->run("recurse"));
  auto r = t.runner->run("after");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(*r, "echo: after");
}

// ---- parseValue ----

TEST(ParseValue, Integers) {
  EXPECT_EQ(*parseValue(ValType::I32, "42"), Value::i32(42));
  EXPECT_EQ(*parseValue(ValType::I32, "-1"), Value::i32(0xffffffffu));
  EXPECT_EQ(*parseValue(ValType::I32, "0x10"), Value::i32(16));
  EXPECT_EQ(*parseValue(ValType::I32, "0XfF"), Value::i32(255));
  EXPECT_EQ(*parseValue(ValType::I32, "-0x10"), Value::i32(uint32_t(-16)));
  EXPECT_EQ(*parseValue(ValType::I32, "4294967295"), Value::i32(0xffffffffu));
  EXPECT_EQ(*parseValue(ValType::I32, "-2147483648"), Value::i32(0x80000000u));
  EXPECT_EQ(*parseValue(ValType::I64, "-1"), Value::i64(~uint64_t(0)));
  EXPECT_EQ(*parseValue(ValType::I64, "18446744073709551615"), Value::i64(~uint64_t(0)));
  EXPECT_EQ(*parseValue(ValType::I64, "0x123456789abcdef0"), Value::i64(0x123456789abcdef0ull));
}

TEST(ParseValue, RejectsWhatIsNotAnInteger) {
  for (const char* bad : {"", "-", "0x", "-0x", "abc", "12abc", " 1", "1 ", "1.5", "+1", "--1", "4294967296", "0x100000000"}) {
    auto v = parseValue(ValType::I32, bad);
    ASSERT_FALSE(v) << "'" << bad << "' parsed";
    EXPECT_EQ(v.error().message(), fmt::format("'{}' is not an integer", bad));
  }
  EXPECT_FALSE(parseValue(ValType::I64, "18446744073709551616"));
}

TEST(ParseValue, Floats) {
  EXPECT_EQ(parseValue(ValType::F32, "1.5")->asF32(), 1.5f);
  EXPECT_EQ(parseValue(ValType::F64, "-2.25")->asF64(), -2.25);
  EXPECT_EQ(parseValue(ValType::F64, "1e3")->asF64(), 1000.0);
  EXPECT_EQ(parseValue(ValType::F64, "0x1p4")->asF64(), 16.0);
  EXPECT_TRUE(std::isnan(parseValue(ValType::F32, "nan")->asF32()));
  EXPECT_TRUE(std::isnan(parseValue(ValType::F64, "-nan")->asF64()));
  EXPECT_TRUE(std::signbit(parseValue(ValType::F64, "-nan")->asF64()));
  EXPECT_EQ(parseValue(ValType::F64, "inf")->asF64(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parseValue(ValType::F32, "-inf")->asF32(), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(parseValue(ValType::F32, "1")->type, ValType::F32);
}

TEST(ParseValue, RejectsWhatIsNotANumber) {
  for (const char* bad : {"", "x", "1.5x", "1,5", "1.5 "}) {
    auto v = parseValue(ValType::F64, bad);
    ASSERT_FALSE(v) << "'" << bad << "' parsed";
    EXPECT_EQ(v.error().message(), fmt::format("'{}' is not a number", bad));
  }
  // An embedded NUL must not end the number early.
  EXPECT_FALSE(parseValue(ValType::F64, std::string_view("1\0" "5", 3)));
  EXPECT_FALSE(parseValue(ValType::I32, std::string_view("1\0" "5", 3)));
}

TEST(ParseValue, OtherTypesCannotBeGiven) {
  for (auto type : {ValType::V128, ValType::FuncRef, ValType::ExternRef}) {
    auto v = parseValue(type, "0");
    ASSERT_FALSE(v);
    EXPECT_THAT(v.error().message(), HasSubstr("cannot be given on the command line"));
  }
}

TEST(ParseValue, RoundTripsThroughToString) {
  EXPECT_EQ(toString(*parseValue(ValType::I32, "-7")), "i32:-7");
  EXPECT_EQ(toString(*parseValue(ValType::I64, "0x7fffffffffffffff")), "i64:9223372036854775807");
  EXPECT_EQ(toString(*parseValue(ValType::F64, "1.5")), "f64:1.5");
}

}  // namespace
}  // namespace pelato::runtime
