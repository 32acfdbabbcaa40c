// bench_brush: how long the PELATO pipeline takes for a 20-task C project, end to end, against a
// real lattice: a nats-server (JetStream), a docker-registry, one `pelato orchestrator`, one edge
// and one cloud `pelato host` trusting the bench's signing account (tests/support starts them).
//
// The project (generated in a temporary directory): a chain of N processor_nats C tasks t00..tNN,
// task i reading brush.t<i> and publishing brush.t<i+1>, each appending " t<i>" to the message (so
// no two sources are the same), targets alternating [edge] / [cloud], version 0.1.0.
//
// Each round runs the real `pelato` binary as a subprocess, with REGISTRY_URL, NATS_HOST,
// NATS_PORT, LATTICE, PARALLEL_BUILD=True, ENABLE_METRICS=True and PELATO_ISSUER_SEED set in its
// environment, and times (wall clock, process start to exit):
//   cold brush     `pelato brush DIR` on a fresh copy of the project (no DIR/.pelato, no gen/), the
//                  application removed first; the gen/build/push/deploy split from DIR/metrics.yaml
//   no-op build    `pelato build DIR` right after (nothing changed: must compile nothing)
//   no-op brush    `pelato brush DIR` again
//   deploy         `pelato remove DIR` (untimed), then `pelato deploy DIR` until deployed
// After the first cold brush, a message published on brush.t00 must come out of brush.t<N> having
// passed through every task (checked and printed).
// Baselines, same run: the thesis's ~175 s for a brush of 20 tasks, and the same N C files
// compiled one after the other by a plain clang-19 loop (no pelato: no gen, signing, push,
// deploy, and no parallelism).
//
// Usage: bench_brush [--tasks N] [--rounds N] [--pelato PATH] [--keep] [--verbose]
// Exit code: 0; 2 if the chain check failed; 3 if a no-op build compiled something.
#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "common/file.h"
#include "common/subprocess.h"
#include "lattice/nats_client.h"
#include "support/child_process.h"
#include "support/load_average.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"
#include "support/registry.h"

#ifndef PELATO_BINARY
#error "PELATO_BINARY must be defined (bench/CMakeLists.txt does)"
#endif
#ifndef PELATO_SOURCE_DIR
#error "PELATO_SOURCE_DIR must be defined (bench/CMakeLists.txt does)"
#endif

namespace {

using namespace pelato;
using bench::loadAverage;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kLattice = "brush";
constexpr const char* kProjectName = "brush bench";
constexpr double kThesisSeconds = 175;     // the thesis's brush of 20 tasks
constexpr double kTargetColdSeconds = 30;  // the issue's targets, 20 C tasks on this machine
constexpr double kTargetNoopSeconds = 1;

struct Options {
  unsigned tasks = 20;
  unsigned rounds = 3;
  std::string pelato = PELATO_BINARY;
  bool keep = false;
  bool verbose = false;
};

[[noreturn]] void die(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "bench_brush: %s\n", message.c_str());
  std::exit(1);
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

void writeText(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) die("writing " + file.string());
}

std::string taskName(unsigned i) { return fmt::format("t{:02}", i); }
std::string subject(unsigned i) { return fmt::format("brush.t{:02}", i); }

// Task i appends " t<i>" to its input: every source differs, and the output shows the path taken.
std::string taskSource(unsigned i) {
  return fmt::format(R"(// brush bench task {0}: appends " {0}" to the message.
#include <stdlib.h>
#include <string.h>

#include "pelato.h"

pelato_buf exec_task(const char* input, size_t len) {{
  static const char tag[] = " {0}";
  size_t n = len + sizeof tag - 1;
  pelato_buf out = {{malloc(n), n}};
  if (!out.data) return (pelato_buf){{NULL, 0}};
  memcpy(out.data, input, len);
  memcpy(out.data + len, tag, sizeof tag - 1);
  return out;
}}
)",
                     taskName(i));
}

// A fresh project in `dir`: workflow.yaml and tasks/t<i>.c, nothing else (no .env: the settings
// come from the environment).
void writeProject(const fs::path& dir, unsigned tasks) {
  fs::create_directories(dir / "tasks");
  std::string workflow = fmt::format("project_name: {}\ntasks:\n", kProjectName);
  for (unsigned i = 0; i < tasks; ++i) {
    workflow += fmt::format(
        "  - name: Task {0}\n    type: processor_nats\n    code: {0}.c\n    targets: [{1}]\n"
        "    source_topic: {2}\n    dest_topic: {3}\n    component_name: {0}\n    version: 0.1.0\n",
        taskName(i), i % 2 ? "cloud" : "edge", subject(i), subject(i + 1));
    writeText(dir / "tasks" / (taskName(i) + ".c"), taskSource(i));
  }
  writeText(dir / "workflow.yaml", workflow);
}

struct Run {
  double wall = 0;
  ProcessResult result;
};

// Runs `pelato args...` with the bench's environment; a non-zero exit ends the bench.
Run pelato(const Options& o, std::vector<std::string> args, bool mustSucceed = true) {
  args.insert(args.begin(), o.pelato);
  auto start = Clock::now();
  auto result = runProcess(args, {.timeout = 600s});
  double wall = seconds(Clock::now() - start);
  if (!result) die(fmt::format("running {}: {}", fmt::join(args, " "), result.error().message()));
  if (o.verbose)
    fmt::print(stderr, "$ {} ({:.3f} s)\n{}{}", fmt::join(args, " "), wall, result->out,
               result->err);
  if (mustSucceed && result->exitCode != 0)
    die(fmt::format("{} exited {}:\n{}{}", fmt::join(args, " "), result->exitCode, result->out,
                    result->err));
  return {.wall = wall, .result = std::move(*result)};
}

// The last run's stage times in DIR/metrics.yaml (ENABLE_METRICS): gen_time, build_time,
// push_time, deploy_time, time_total, compiled, cached.
std::map<std::string, double> lastMetrics(const fs::path& dir) {
  auto text = readTextFile(dir / "metrics.yaml");
  if (!text) die("no metrics.yaml in " + dir.string() + ": " + text.error().message());
  size_t last = text->rfind("project_name:");
  std::string entry = last == std::string::npos ? *text : text->substr(last);
  std::map<std::string, double> out;
  std::regex field(
      R"((gen_time|build_time|push_time|deploy_time|time_total|compiled|cached): *"?([0-9.]+))");
  for (std::sregex_iterator it(entry.begin(), entry.end(), field), end; it != end; ++it)
    out[(*it)[1].str()] = std::stod((*it)[2].str());
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
double minimum(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

// The baseline: the same C files compiled one after the other by clang-19, no pelato. The flags
// are pelato's C build command (src/pipeline/toolchain.cc) with the SDK's folder instead of the
// generated glue.h (which only includes pelato.h).
double rawSequentialCompile(const fs::path& project, const fs::path& out, unsigned tasks) {
  fs::create_directories(out);
  std::string sdk = std::string(PELATO_SOURCE_DIR) + "/sdk/c";
  auto start = Clock::now();
  for (unsigned i = 0; i < tasks; ++i) {
    auto run = runProcess(
        {"clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor",
         "-Wl,--strip-debug", "-I" + sdk, (project / "tasks" / (taskName(i) + ".c")).string(), "-o",
         (out / (taskName(i) + ".wasm")).string()},
        {.timeout = 300s});
    if (!run) die("running clang-19: " + run.error().message());
    if (run->exitCode != 0) die("clang-19 failed on " + taskName(i) + ":\n" + run->err);
  }
  return seconds(Clock::now() - start);
}

// Publishes on brush.t00 (again every second: the subscriptions may come a moment after the
// deployed status) until something arrives on brush.t<N>; returns it, or nullopt after `timeout`.
std::optional<std::string> chainCheck(lattice::NatsClient& nats, unsigned tasks,
                                      std::chrono::seconds timeout) {
  testing::Collector out;
  auto sub = nats.subscribe(subject(tasks), out.handler());
  if (!sub || !nats.flush()) die("subscribing to " + subject(tasks));
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (!nats.publish(subject(0), "brush")) die("publishing on " + subject(0));
    nats.flush();
    if (out.waitCount(1, 1s)) return out.messages().front().data;
  }
  return std::nullopt;
}

std::string expectedChainOutput(unsigned tasks) {
  std::string s = "brush";
  for (unsigned i = 0; i < tasks; ++i) s += " " + taskName(i);
  return s;
}

struct Round {
  double cold = 0, gen = 0, build = 0, push = 0, deploy = 0;  // cold brush, and its split
  double noopBuild = 0, noopBrush = 0, deployAlone = 0, raw = 0;
  double noopCompiled = 0;  // tasks the no-op build compiled: must be 0
};

std::string row(const char* name, const std::vector<double>& v) {
  return fmt::format("{:<36} {:>8.3f} s {:>8.3f} s   {}\n", name, median(v), minimum(v), [&] {
    std::string s;
    for (double x : v) s += fmt::format("{:.3f} ", x);
    return s;
  }());
}

int runBench(const Options& o) {
  auto wallStart = Clock::now();
  if (!fs::exists(o.pelato)) die(o.pelato + " is missing: build `pelato`");

  // Everything the bench makes (projects, key, AOT cache) goes in one directory, removed at the end
  // unless --keep.
  std::optional<TempDir> work;
  fs::path root;
  if (o.keep) {
    char name[] = "/tmp/pelato-bench-brush-XXXXXX";
    if (!mkdtemp(name)) die("mkdtemp failed");
    root = name;
  } else {
    auto dir = TempDir::create("pelato-bench-brush");
    if (!dir) die(dir.error().message());
    work.emplace(std::move(*dir));
    root = work->path();
  }
  setenv("PELATO_CACHE_DIR", (root / "aot-cache").c_str(), 1);  // the hosts' AOT cache, fresh
  setenv("HOME", root.c_str(), 1);                              // no ~/.config/pelato of the user's

  auto server = testing::NatsServer::start();
  if (!server) die(server.error().message());
  auto registry = testing::Registry::start();
  if (!registry) die(registry.error().message());
  std::string url = (*server)->url();

  // The signing account, as a user makes it.
  std::string seed = (root / "issuer.nk").string();
  pelato(o, {"keys", "gen", "account", "-o", seed});
  std::string issuer = pelato(o, {"keys", "public", seed}).result.out;
  issuer = issuer.substr(0, issuer.find('\n'));

  setenv("PELATO_ISSUER_SEED", seed.c_str(), 1);
  setenv("REGISTRY_URL", ((*registry)->host() + "/brush").c_str(), 1);
  setenv("NATS_HOST", "127.0.0.1", 1);
  setenv("NATS_PORT", std::to_string((*server)->port()).c_str(), 1);
  setenv("LATTICE", kLattice, 1);
  setenv("PARALLEL_BUILD", "True", 1);
  setenv("ENABLE_METRICS", "True", 1);

  auto orchestrator = testing::startOrchestrator(o.pelato, url, kLattice);
  if (!orchestrator) die(orchestrator.error().message());
  std::vector<testing::HostChild> hosts;
  for (const char* type : {"edge", "cloud"}) {
    hosts.push_back(
        testing::startHost(o.pelato, url, kLattice,
                           {"--label", std::string("host-type=") + type, "--trusted-issuer", issuer,
                            "--heartbeat-ms", "1000", "--http-port", "-1"}));
    if (!hosts.back().process) die(std::string("the ") + type + " host did not start");
  }
  auto nats = lattice::NatsClient::connect({.url = url, .name = "bench-brush"});
  if (!nats) die(nats.error().message());

  auto clang = runProcess({"clang-19", "--version"});
  fmt::print(
      "# pelato brush benchmark: {} C tasks (processor_nats chain brush.t00 -> brush.t{:02}), {} "
      "round{}\n",
      o.tasks, o.tasks, o.rounds, o.rounds == 1 ? "" : "s");
  fmt::print(
      "# {}; nats-server {}, docker-registry {}, 1 orchestrator, 1 edge + 1 cloud host (trusted "
      "issuer)\n",
      o.pelato, url, (*registry)->host());
  fmt::print(
      "# {} hardware threads, PARALLEL_BUILD=True; {}; load average at start {}\n",
      std::thread::hardware_concurrency(),
      clang && clang->exitCode == 0 ? clang->out.substr(0, clang->out.find('\n')) : "clang-19 ?",
      loadAverage());
  std::fflush(stdout);

  std::vector<Round> rounds;
  bool chainOk = true, noopOk = true;
  for (unsigned r = 0; r < o.rounds; ++r) {
    Round round;
    fs::path dir = root / fmt::format("project-{}", r);
    writeProject(dir, o.tasks);
    std::string d = dir.string();

    round.raw = rawSequentialCompile(dir, root / fmt::format("raw-{}", r), o.tasks);

    pelato(o, {"remove", d});  // the previous round's application, if any
    auto cold = pelato(o, {"brush", d});
    round.cold = cold.wall;
    auto m = lastMetrics(dir);
    round.gen = m["gen_time"];
    round.build = m["build_time"];
    round.push = m["push_time"];
    round.deploy = m["deploy_time"];
    if (m["compiled"] != o.tasks)
      fmt::print("# round {}: the cold brush compiled {} of {} tasks\n", r + 1, m["compiled"],
                 o.tasks);

    if (r == 0) {
      auto got = chainCheck(**nats, o.tasks, 30s);
      std::string want = expectedChainOutput(o.tasks);
      chainOk = got && *got == want;
      fmt::print("# chain check: published \"brush\" on {}, {} {}: \"{}\" ({})\n", subject(0),
                 got ? "received on" : "nothing on", subject(o.tasks), got ? *got : "",
                 chainOk ? "OK, every task" : "WRONG");
    }

    auto noopBuild = pelato(o, {"build", d});
    round.noopBuild = noopBuild.wall;
    round.noopCompiled = lastMetrics(dir)["compiled"];
    if (round.noopCompiled != 0) noopOk = false;
    round.noopBrush = pelato(o, {"brush", d}).wall;

    pelato(o, {"remove", d});
    round.deployAlone = pelato(o, {"deploy", d}).wall;

    fmt::print(
        "# round {}: cold brush {:.3f} s (gen {:.3f}, build {:.3f}, push {:.3f}, deploy {:.3f}), "
        "no-op build "
        "{:.3f} s ({} compiled), no-op brush {:.3f} s, deploy {:.3f} s, raw clang loop {:.3f} s; "
        "load {}\n",
        r + 1, round.cold, round.gen, round.build, round.push, round.deploy, round.noopBuild,
        round.noopCompiled, round.noopBrush, round.deployAlone, round.raw, loadAverage());
    std::fflush(stdout);
    rounds.push_back(round);
  }

  auto col = [&](double Round::*f) {
    std::vector<double> v;
    for (const auto& r : rounds) v.push_back(r.*f);
    return v;
  };
  fmt::print("\n{:<36} {:>10} {:>10}   {}\n", "wall time", "median", "min", "by round");
  fmt::print("{}", row("cold brush (pelato brush)", col(&Round::cold)));
  fmt::print("{}", row("  gen (metrics.yaml)", col(&Round::gen)));
  fmt::print("{}", row("  build: compile + sign", col(&Round::build)));
  fmt::print("{}", row("  push", col(&Round::push)));
  fmt::print("{}", row("  deploy (until deployed)", col(&Round::deploy)));
  fmt::print("{}", row("no-op build (pelato build)", col(&Round::noopBuild)));
  fmt::print("{}", row("no-op brush (pelato brush)", col(&Round::noopBrush)));
  fmt::print("{}", row("deploy (pelato deploy, after remove)", col(&Round::deployAlone)));
  fmt::print("{}", row("baseline: raw sequential clang loop", col(&Round::raw)));

  double cold = median(col(&Round::cold)), raw = median(col(&Round::raw));
  double build = median(col(&Round::build));
  double noopBuild = median(col(&Round::noopBuild)), noopBrush = median(col(&Round::noopBrush));
  fmt::print("\ncold brush median {:.2f} s = {:.3f} x the thesis's {:.0f} s ({:.1f}x faster){}\n",
             cold, cold / kThesisSeconds, kThesisSeconds, kThesisSeconds / cold,
             o.tasks == 20 ? "" : " (the thesis's figure is for 20 tasks)");
  fmt::print("cold brush / raw sequential clang loop = {:.2f} (the build stage alone: {:.2f})\n",
             cold / raw, build / raw);
  fmt::print("target cold brush of {} C tasks <= {:.0f} s: {} ({:.2f} s)\n", o.tasks,
             kTargetColdSeconds, cold <= kTargetColdSeconds ? "PASS" : "MISS", cold);
  fmt::print("target no-op build <= {:.0f} s: {} ({:.3f} s, compiled {})\n", kTargetNoopSeconds,
             noopBuild <= kTargetNoopSeconds && noopOk ? "PASS" : "MISS", noopBuild,
             noopOk ? "nothing" : "SOMETHING");
  fmt::print("target no-op brush <= {:.0f} s: {} ({:.3f} s)\n", kTargetNoopSeconds,
             noopBrush <= kTargetNoopSeconds ? "PASS" : "MISS", noopBrush);
  fmt::print("# load average at the end {}; total wall time {:.1f} s\n", loadAverage(),
             seconds(Clock::now() - wallStart));

  if (o.keep) fmt::print("# kept {}\n", root.string());
  (*orchestrator)->stop(10s);
  for (auto& h : hosts) h.process->stop(10s);
  return !chainOk ? 2 : !noopOk ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "pelato brush benchmark: gen -> build -> push -> deploy of a C task chain, cold and no-op"};
  app.add_option("--tasks", o.tasks, "Tasks in the chain")
      ->capture_default_str()
      ->check(CLI::Range(1u, 200u));
  app.add_option("--rounds", o.rounds, "Rounds (each cold round uses a fresh project)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100u));
  app.add_option("--pelato", o.pelato, "The pelato binary")->capture_default_str();
  app.add_flag("--keep", o.keep, "Keep the temporary directory (projects, metrics.yaml)");
  app.add_flag("--verbose", o.verbose, "Print every pelato command's output (stderr)");
  CLI11_PARSE(app, argc, argv);
  return runBench(o);
}
