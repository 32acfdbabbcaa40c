// The PELATO pipeline end to end: the real `pelato brush|remove|build|new` run as subprocesses
// against a real lattice (nats-server with JetStream, docker-registry, `pelato orchestrator`, one
// edge and one cloud `pelato host` that trust only the test's signing account). The temperature
// example is brushed, fed over HTTP on the edge host and read back filtered from the cloud task,
// brushed again from the cache, and removed; the mixed C/Rust/AssemblyScript chain runs; bad
// projects fail fast with a precise message and leave the lattice alone; `pelato new` makes a
// project that builds.
#include <gtest/gtest.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "common/file.h"
#include "common/subprocess.h"
#include "lattice/ctl_client.h"
#include "lattice/wadm_client.h"
#include "support/lattice_probe.h"
#include "support/local_service.h"
#include "support/nats_server.h"
#include "support/registry.h"

namespace pelato {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;
using testing::Collector;
using testing::HostChild;

constexpr const char* kLattice = "pipeit";

// `pelato ARGS...` with `env` (NAME=value) added to this process's environment, REGISTRY_USER
// and REGISTRY_PASSWORD removed.
ProcessResult runPelato(std::vector<std::string> args, const std::vector<std::string>& env,
                        std::chrono::milliseconds timeout = 240s) {
  std::vector<std::string> argv{"/usr/bin/env", "-u", "REGISTRY_USER", "-u", "REGISTRY_PASSWORD"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(PELATO_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = runProcess(argv, {.timeout = timeout});
  EXPECT_TRUE(result) << result.error().message();
  return result ? *result : ProcessResult{.exitCode = -1};
}

std::string describe(const ProcessResult& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.exitCode, r.out, r.err);
}

void copyProject(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

void replaceInFile(const fs::path& file, std::string_view from, std::string_view to) {
  auto text = readTextFile(file);
  ASSERT_TRUE(text) << text.error().message();
  auto at = text->find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << file;
  text->replace(at, from.size(), to);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << *text;
}

// POSTs `body` to `url`; the HTTP status code ("202"), or "curl failed: ...".
std::string post(const std::string& url, const std::string& body) {
  auto result = runProcess({"curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                            "--data-binary", body, url},
                           {.timeout = 15s});
  if (!result) return "curl failed: " + result.error().message();
  if (result->exitCode != 0) return fmt::format("curl failed ({}): {}", result->exitCode, result->err);
  return result->out;
}

// The shared lattice.
struct Lattice {
  TempDir root = *TempDir::create("pelato-pipeline-it");
  std::unique_ptr<testing::NatsServer> nats;
  std::unique_ptr<testing::Registry> registry;
  std::string issuerFile, issuerPublic;
  std::unique_ptr<ChildProcess> orchestrator;
  HostChild edge, cloud;
  std::unique_ptr<lattice::NatsClient> client;
  std::unique_ptr<lattice::CtlClient> ctl;
  std::unique_ptr<lattice::WadmClient> wadm;
  std::string skip;  // why the tests are skipped, if they are
};

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lattice_ = std::make_unique<Lattice>();
    auto& l = *lattice_;
    auto nats = testing::NatsServer::start();
    if (!nats) {
      l.skip = nats.error().message();
      return;
    }
    auto registry = testing::Registry::start();
    if (!registry) {
      l.skip = registry.error().message();
      return;
    }
    l.nats = std::move(*nats);
    l.registry = std::move(*registry);
    // Hosts and pelato inherit it: AOT code and OCI blobs stay in the test's folder.
    setenv("PELATO_CACHE_DIR", (l.root.path() / "cache").c_str(), 1);
    l.issuerFile = (l.root.path() / "issuer.nk").string();
    auto gen = runPelato({"keys", "gen", "account", "-o", l.issuerFile}, {}, 30s);
    ASSERT_EQ(gen.exitCode, 0) << describe(gen);
    auto pub = runPelato({"keys", "public", l.issuerFile}, {}, 30s);
    ASSERT_EQ(pub.exitCode, 0) << describe(pub);
    l.issuerPublic = pub.out.substr(0, pub.out.find('\n'));

    auto orchestrator = testing::startOrchestrator(PELATO_BINARY, l.nats->url(), kLattice, {"--lease-ms", "1500"});
    ASSERT_TRUE(orchestrator) << orchestrator.error().message();
    l.orchestrator = std::move(*orchestrator);
    for (auto [host, type] : {std::pair{&l.edge, "edge"}, std::pair{&l.cloud, "cloud"}}) {
      *host = testing::startHost(PELATO_BINARY, l.nats->url(), kLattice,
                                 {"--label", std::string("host-type=") + type, "--trusted-issuer", l.issuerPublic,
                                  "--heartbeat-ms", "1000"});
      ASSERT_FALSE(host->id.empty());
    }
    ASSERT_GT(l.edge.httpPort, 0);

    auto client = lattice::NatsClient::connect({.url = l.nats->url(), .name = "pipeline-test"});
    ASSERT_TRUE(client) << client.error().message();
    l.client = std::move(*client);
    l.ctl = std::make_unique<lattice::CtlClient>(*l.client, *lattice::Subjects::create(kLattice), 2s);
    l.wadm = std::make_unique<lattice::WadmClient>(*l.client, kLattice);
    // The orchestrator leads (answers the wadm API).
    auto deadline = Clock::now() + 15s;
    while (!l.wadm->list() && Clock::now() < deadline) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(l.wadm->list()) << "no orchestrator answers: " << l.orchestrator->output();
  }

  static void TearDownTestSuite() {
    if (!lattice_) return;
    lattice_->wadm.reset();
    lattice_->ctl.reset();
    lattice_->client.reset();
    lattice_->edge.process.reset();
    lattice_->cloud.process.reset();
    lattice_->orchestrator.reset();
    lattice_.reset();
  }

  void SetUp() override {
    if (!lattice_ || !lattice_->skip.empty()) GTEST_SKIP() << (lattice_ ? lattice_->skip : "no lattice");
    if (!lattice_->client || !lattice_->wadm) FAIL() << "the lattice did not start";
  }

  Lattice& l() { return *lattice_; }

  // The project settings as environment variables, plus `extra` (later ones win).
  std::vector<std::string> env(std::vector<std::string> extra = {}) {
    std::vector<std::string> out{"REGISTRY_URL=" + l().registry->host() + "/pelato",
                                 "NATS_HOST=127.0.0.1",
                                 fmt::format("NATS_PORT={}", l().nats->port()),
                                 std::string("LATTICE=") + kLattice,
                                 "PARALLEL_BUILD=2",
                                 "ENABLE_METRICS=False",
                                 "PELATO_ISSUER_SEED=" + l().issuerFile};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

  ProcessResult pelato(std::vector<std::string> args, std::vector<std::string> extraEnv = {}) {
    return runPelato(std::move(args), env(std::move(extraEnv)));
  }

  // A copy of `source` (relative to the source tree) in the test's folder.
  fs::path project(const std::string& source, const std::string& name) {
    fs::path dir = l().root.path() / name;
    copyProject(fs::path(PELATO_SOURCE_DIR) / source, dir);
    return dir;
  }

  // The image refs of the components `host` runs.
  std::vector<std::string> components(const HostChild& host) {
    std::vector<std::string> out;
    auto inventory = l().ctl->inventory(host.id);
    EXPECT_TRUE(inventory) << inventory.error().message();
    if (inventory)
      for (const auto& c : inventory->components) out.push_back(c.imageRef);
    return out;
  }
  static bool runs(const std::vector<std::string>& images, std::string_view component) {
    return std::any_of(images.begin(), images.end(),
                       [&](const std::string& image) { return image.find(std::string("/") + std::string(component) + ":") != std::string::npos; });
  }
  std::string inventories() {
    return fmt::format("edge: [{}] cloud: [{}]", fmt::join(components(l().edge), ", "),
                       fmt::join(components(l().cloud), ", "));
  }

  // Waits until `edgeComponents` run on the edge host and `cloudComponents` on the cloud host,
  // each only there.
  ::testing::AssertionResult waitForPlacement(const std::vector<std::string>& edgeComponents,
                                              const std::vector<std::string>& cloudComponents,
                                              std::chrono::milliseconds timeout = 30s) {
    auto deadline = Clock::now() + timeout;
    while (true) {
      auto edge = components(l().edge);
      auto cloud = components(l().cloud);
      bool ok = edge.size() == edgeComponents.size() && cloud.size() == cloudComponents.size();
      for (const auto& c : edgeComponents) ok = ok && runs(edge, c) && !runs(cloud, c);
      for (const auto& c : cloudComponents) ok = ok && runs(cloud, c) && !runs(edge, c);
      if (ok) return ::testing::AssertionSuccess();
      if (Clock::now() > deadline) return ::testing::AssertionFailure() << inventories();
      std::this_thread::sleep_for(200ms);
    }
  }

  std::vector<std::string> applications() {
    std::vector<std::string> out;
    auto list = l().wadm->list();
    EXPECT_TRUE(list) << list.error().message();
    if (list)
      for (const auto& app : *list) out.push_back(app.name);
    return out;
  }

  // Nothing stored, nothing running.
  void expectLatticeEmpty() {
    EXPECT_EQ(applications(), std::vector<std::string>{});
    EXPECT_EQ(components(l().edge), std::vector<std::string>{});
    EXPECT_EQ(components(l().cloud), std::vector<std::string>{});
  }

  std::string edgeUrl() { return fmt::format("http://127.0.0.1:{}/", l().edge.httpPort); }

  static std::vector<std::string> data(const std::vector<lattice::NatsMessage>& messages, size_t from = 0) {
    std::vector<std::string> out;
    for (size_t i = from; i < messages.size(); ++i) out.push_back(messages[i].data);
    return out;
  }

  // POSTs `warmUp` every 500 ms until its conversion `expect` arrives at `collector` (the whole
  // chain runs), and returns how many messages the collector has then.
  size_t warmUpTemperature(Collector& collector, const std::string& warmUp, const std::string& expect) {
    auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
      std::string status = post(edgeUrl(), warmUp);
      EXPECT_TRUE(status == "202" || status.starts_with("curl failed") || status == "404" || status == "503") << status;
      if (collector.waitFor(1, [&](const lattice::NatsMessage& m) { return m.data == expect; }, 500ms)) break;
    }
    EXPECT_TRUE(collector.waitFor(1, [&](const lattice::NatsMessage& m) { return m.data == expect; }, 1ms))
        << "the chain never answered: " << inventories();
    std::this_thread::sleep_for(1s);  // late warm-up duplicates
    return collector.messages().size();
  }

  // The readings of the thesis's scenario: only the plausible ones come out, in kelvin.
  void expectTemperatureReadingsFiltered(Collector& filtered, const std::string& warmUp, const std::string& warmed) {
    size_t from = warmUpTemperature(filtered, warmUp, warmed);
    for (std::string reading : {"21.5", "-300", "150", "abc", "0"}) EXPECT_EQ(post(edgeUrl(), reading), "202") << reading;
    ASSERT_TRUE(filtered.waitCount(from + 2, 15s)) << fmt::format("{}", fmt::join(data(filtered.messages(), from), " | "));
    std::this_thread::sleep_for(1500ms);  // nothing else arrives
    auto got = data(filtered.messages(), from);
    got.erase(std::remove(got.begin(), got.end(), warmed), got.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{"273.15", "294.65"}));
  }

  static std::unique_ptr<Lattice> lattice_;
};

std::unique_ptr<Lattice> PipelineTest::lattice_;

size_t occurrences(std::string_view text, std::string_view what) { return testing::countOccurrences(text, what); }

// Thesis scenario: brush, POST readings to the edge, filtered kelvin from the cloud; a second
// brush compiles nothing and still deploys; remove leaves nothing behind; metrics recorded.
TEST_F(PipelineTest, BrushesTheTemperatureExampleRebrushesFromTheCacheAndRemovesIt) {
  fs::path dir = project("examples/temperature", "temperature");
  Collector filtered;
  auto sub = l().client->subscribe("filtered_kelvin_data", filtered.handler());
  ASSERT_TRUE(sub && l().client->flush());

  auto start = Clock::now();
  auto brush = pelato({"brush", dir.string()}, {"ENABLE_METRICS=True"});
  ASSERT_EQ(brush.exitCode, 0) << describe(brush);
  RecordProperty("first_brush_seconds", fmt::format("{:.1f}", std::chrono::duration<double>(Clock::now() - start).count()));
  EXPECT_NE(brush.out.find("built celsius_to_kelvin_conversion"), std::string::npos) << brush.out;
  EXPECT_NE(brush.out.find("built temp_filter"), std::string::npos) << brush.out;
  EXPECT_NE(brush.out.find("deploy: "), std::string::npos) << brush.out;
  auto apps = applications();
  ASSERT_EQ(apps.size(), 1u) << fmt::format("{}", fmt::join(apps, ", "));
  std::string app = apps[0];

  // convert on the edge host only, filter on the cloud host only; images from the registry.
  ASSERT_TRUE(waitForPlacement({"celsius_to_kelvin_conversion"}, {"temp_filter"}));
  for (const auto& image : components(l().edge))
    EXPECT_TRUE(image.starts_with(l().registry->host() + "/pelato/celsius_to_kelvin_conversion:1.0.0")) << image;
  for (const auto& image : components(l().cloud))
    EXPECT_TRUE(image.starts_with(l().registry->host() + "/pelato/temp_filter:1.0.2")) << image;

  expectTemperatureReadingsFiltered(filtered, "25", "298.15");

  // Nothing changed: nothing compiles, it deploys again, and it still works.
  auto again = pelato({"brush", dir.string()}, {"ENABLE_METRICS=True"});
  ASSERT_EQ(again.exitCode, 0) << describe(again);
  EXPECT_NE(again.out.find("celsius_to_kelvin_conversion unchanged (cached)"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("temp_filter unchanged (cached)"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("compiling"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("build: 0 compiled, 2 unchanged"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("deploy: "), std::string::npos) << again.out;
  EXPECT_EQ(applications(), std::vector<std::string>{app});
  ASSERT_TRUE(waitForPlacement({"celsius_to_kelvin_conversion"}, {"temp_filter"}));
  expectTemperatureReadingsFiltered(filtered, "26", "299.15");

  // ENABLE_METRICS: one run per brush, with every stage.
  auto metrics = readTextFile(dir / "metrics.yaml");
  ASSERT_TRUE(metrics) << metrics.error().message();
  EXPECT_EQ(occurrences(*metrics, "n_task: 2"), 2u) << *metrics;
  EXPECT_EQ(occurrences(*metrics, "code_gen:"), 2u) << *metrics;
  EXPECT_EQ(occurrences(*metrics, "build:"), 2u) << *metrics;
  EXPECT_EQ(occurrences(*metrics, "deploy:"), 2u) << *metrics;
  EXPECT_EQ(occurrences(*metrics, "project_name: Temperature data analysis"), 2u) << *metrics;
  EXPECT_NE(metrics->find("cached: 2"), std::string::npos) << *metrics;

  auto removed = pelato({"remove", dir.string()});
  ASSERT_EQ(removed.exitCode, 0) << describe(removed);
  EXPECT_NE(removed.out.find("is gone"), std::string::npos) << removed.out;
  expectLatticeEmpty();
  auto listed = pelato({"app", "list", "--nats", l().nats->url(), "--lattice", kLattice});
  EXPECT_EQ(listed.exitCode, 0) << describe(listed);
  EXPECT_EQ(listed.out.find(app), std::string::npos) << listed.out;
  // Removing what is not there is not an error.
  auto twice = pelato({"remove", dir.string()});
  EXPECT_EQ(twice.exitCode, 0) << describe(twice);
  EXPECT_NE(twice.out.find("nothing to do"), std::string::npos) << twice.out;
}

// C upper → Rust reverse → AssemblyScript wrap across edge, cloud, edge.
TEST_F(PipelineTest, BrushesAMixedLanguageChain) {
  fs::path dir = project("tests/pipeline/projects/mixed", "mixed");
  Collector out;
  auto sub = l().client->subscribe("mixed_out", out.handler());
  ASSERT_TRUE(sub && l().client->flush());

  auto brush = pelato({"brush", dir.string()});
  ASSERT_EQ(brush.exitCode, 0) << describe(brush);
  ASSERT_TRUE(waitForPlacement({"mixed_upper", "mixed_wrap"}, {"mixed_reverse"}));

  auto deadline = Clock::now() + 60s;
  bool seen = false;
  while (!seen && Clock::now() < deadline) {
    ASSERT_TRUE(l().client->publish("mixed_in", "abc"));
    seen = out.waitFor(1, [](const lattice::NatsMessage& m) { return m.data == "[CBA]"; }, 1s);
  }
  EXPECT_TRUE(seen) << fmt::format("{}", fmt::join(data(out.messages()), " | ")) << inventories();
  for (const auto& got : data(out.messages())) EXPECT_EQ(got, "[CBA]");

  auto removed = pelato({"remove", dir.string()});
  ASSERT_EQ(removed.exitCode, 0) << describe(removed);
  expectLatticeEmpty();
}

// Each bad project fails with a precise message and a non-zero exit, and changes nothing.
TEST_F(PipelineTest, BadProjectsFailFastAndLeaveTheLatticeAlone) {
  struct Case {
    std::string name;
    std::function<void(const fs::path&)> spoil;
    std::vector<std::string> env;
    std::string message;  // a regex stderr must match
    bool compiles = false;  // whether it gets as far as the compilers
  };
  auto workflow = [](std::string from, std::string to) {
    return [from, to](const fs::path& dir) { replaceInFile(dir / "workflow.yaml", from, to); };
  };
  int closed = *testing::freeLoopbackPort();
  std::vector<Case> cases{
      {"missing-file", workflow("code: filter.c", "code: nofile.c"), {},
       R"(workflow\.yaml: tasks\[1\] \(Data filter\)\.code: .*tasks/nofile\.c does not exist)"},
      {"unknown-type", workflow("type: processor_nats", "type: processor_natz"), {},
       R"(workflow\.yaml:16:11: .*unknown task type "processor_natz")"},
      {"yaml-syntax", workflow("  - name: Data filter", "  - name: [Data filter"), {},
       R"(workflow\.yaml:\d+:\d+: .*YAML)"},
      {"duplicate-name", workflow("component_name: temp_filter", "component_name: celsius_to_kelvin_conversion"), {},
       R"(workflow\.yaml:22:21: .*"celsius_to_kelvin_conversion" is also the component_name of tasks\[0\])"},
      {"compile-error",
       [](const fs::path& dir) { replaceInFile(dir / "tasks/filter.c", "strtod(text, &end);\n  if (end == text) return empty();\n  while",
                                               "strtodd(text, &end;\n  if (end == text) return empty();\n  while"); },
       {}, R"(task temp_filter[\s\S]*tasks/filter\.c:19:\d+: error)", true},
      {"registry-unreachable", [](const fs::path&) {}, {fmt::format("REGISTRY_URL=127.0.0.1:{}/pelato", closed)},
       fmt::format("(?:registry|REGISTRY_URL)[^\\n]*127\\.0\\.0\\.1:{}|127\\.0\\.0\\.1:{}[^\\n]*registry", closed, closed)},
      {"nats-unreachable", [](const fs::path&) {}, {fmt::format("NATS_PORT={}", closed)},
       fmt::format(R"(NATS[^\n]*127\.0\.0\.1:{})", closed)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fs::path dir = project("examples/temperature", "bad-" + c.name);
    ASSERT_NO_FATAL_FAILURE(c.spoil(dir));
    auto start = Clock::now();
    auto brush = pelato({"brush", dir.string()}, c.env);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_NE(brush.exitCode, 0) << describe(brush);
    EXPECT_TRUE(std::regex_search(brush.err, std::regex(c.message))) << c.message << "\n" << describe(brush);
    EXPECT_EQ(brush.out.find("deploy: "), std::string::npos) << brush.out;
    EXPECT_EQ(brush.out.find("pushed"), std::string::npos) << brush.out;
    if (!c.compiles) {
      EXPECT_FALSE(fs::exists(dir / ".pelato" / "build")) << "compiled before failing";
      EXPECT_EQ(brush.out.find("compiling"), std::string::npos) << brush.out;
      EXPECT_LT(seconds, 5.0);
    }
    expectLatticeEmpty();
  }
}

// The project `pelato new` makes (an http_producer_nats task without source_topic) deploys and
// answers: POST "world" → "hello, world" on greetings.
TEST_F(PipelineTest, NewProjectBrushesAndAnswersOverHttp) {
  fs::path dir = l().root.path() / "hello";
  auto created = pelato({"new", dir.string(), "--lang", "c"});
  ASSERT_EQ(created.exitCode, 0) << describe(created);
  Collector greetings;
  auto sub = l().client->subscribe("greetings", greetings.handler());
  ASSERT_TRUE(sub && l().client->flush());
  auto brush = pelato({"brush", dir.string()});
  ASSERT_EQ(brush.exitCode, 0) << describe(brush);
  ASSERT_TRUE(waitForPlacement({"greeter"}, {}));
  auto deadline = Clock::now() + 60s;
  bool seen = false;
  while (!seen && Clock::now() < deadline) {
    std::string status = post(edgeUrl(), "world");
    EXPECT_TRUE(status == "202" || status == "404" || status == "503") << status;
    seen = greetings.waitFor(1, [](const lattice::NatsMessage& m) { return m.data == "hello, world"; }, 1s);
  }
  EXPECT_TRUE(seen) << fmt::format("{}", fmt::join(data(greetings.messages()), " | ")) << inventories();
  auto removed = pelato({"remove", dir.string()});
  ASSERT_EQ(removed.exitCode, 0) << describe(removed);
  expectLatticeEmpty();
}

// `pelato new` makes a project that builds; it will not write into a folder with files.
TEST(PipelineNew, NewProjectBuildsWithoutALattice) {
  auto root = TempDir::create("pelato-pipeline-new");
  ASSERT_TRUE(root);
  auto issuer = (root->path() / "issuer.nk").string();
  auto gen = runPelato({"keys", "gen", "account", "-o", issuer}, {}, 30s);
  ASSERT_EQ(gen.exitCode, 0) << describe(gen);
  std::vector<std::string> env{"PELATO_ISSUER_SEED=" + issuer, "PELATO_CACHE_DIR=" + (root->path() / "cache").string()};
  fs::path dir = root->path() / "hello";
  auto created = runPelato({"new", dir.string(), "--lang", "c"}, env);
  ASSERT_EQ(created.exitCode, 0) << describe(created);
  EXPECT_TRUE(fs::exists(dir / "workflow.yaml"));
  auto built = runPelato({"build", dir.string(), "--no-push"}, env);
  ASSERT_EQ(built.exitCode, 0) << describe(built);
  EXPECT_NE(built.out.find("1 compiled"), std::string::npos) << built.out;
  EXPECT_TRUE(fs::exists(dir / "gen" / "wadm.yaml"));
  EXPECT_TRUE(fs::exists(dir / ".pelato" / "build"));

  auto again = runPelato({"new", dir.string(), "--lang", "c"}, env);
  EXPECT_NE(again.exitCode, 0) << describe(again);
  EXPECT_NE(again.err.find(dir.filename().string()), std::string::npos) << again.err;
}

}  // namespace
}  // namespace pelato
