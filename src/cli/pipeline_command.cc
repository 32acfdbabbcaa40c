// The PELATO pipeline (docs/ARCHITECTURE.md, src/pipeline): `pelato new DIR`, and `pelato
// gen|build|deploy|remove|brush DIR` over a project's workflow.yaml. Each stage checks what it
// depends on before it starts (NATS and the registry before compiling), and with ENABLE_METRICS
// the run is appended to DIR/metrics.yaml.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <thread>

#include "cli/build_progress.h"
#include "cli/commands.h"
#include "cli/lattice_options.h"
#include "common/file.h"
#include "pipeline/codegen.h"
#include "pipeline/deployer.h"
#include "pipeline/metrics_file.h"
#include "pipeline/publisher.h"
#include "pipeline/skeleton.h"
#include "pipeline/task_variables.h"
#include "security/account_key.h"
#include "security/seed_file.h"

extern char** environ;

namespace pelato::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

enum class Stage { Gen, Build, Deploy, Remove, Brush };

struct PipelineOptions {
  std::string dir;
  std::string issuer;     // account seed file; empty: PELATO_ISSUER_SEED, then the user's default key
  bool noPush = false;    // build only
  unsigned jobs = 0;      // 0: PARALLEL_BUILD
  uint64_t waitMs = 60000;
  lattice::NatsAuth auth;
  std::string lang = "c";  // new
};

pipeline::Environment environment() {
  pipeline::Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

std::string envOr(const pipeline::Environment& env, std::string_view name, std::string fallback = {}) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

// The signing key: --issuer, $PELATO_ISSUER_SEED, else the user's default key (made on first use).
Result<security::KeyPair> issuerKey(const PipelineOptions& o, const pipeline::Environment& env) {
  std::string given = o.issuer.empty() ? envOr(env, "PELATO_ISSUER_SEED") : o.issuer;
  if (!given.empty()) return security::readSeedFile(given, security::KeyType::Account);
  auto path = security::defaultIssuerKeyPath(envOr(env, "XDG_CONFIG_HOME"), envOr(env, "HOME"));
  auto key = security::loadOrCreateAccountKey(path);
  if (!key) return fail(std::move(key.error()));
  if (key->created)
    fmt::print("created the signing key {} (account {}); hosts run these modules with `pelato host --trusted-issuer {}`\n",
               path.string(), key->pair.publicKey().encode(), key->pair.publicKey().encode());
  return std::move(key->pair);
}

fs::path executableDir() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

std::string now() {
  return fmt::format("{:%FT%TZ}", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// One run of a stage (brush runs them all), with its metrics.
class PipelineRun {
 public:
  PipelineRun(const PipelineOptions& options, pipeline::Project project, pipeline::Environment env)
      : o_(options), project_(std::move(project)), env_(std::move(env)) {
    metrics_.projectName = project_.workflow.projectName;
    metrics_.date = now();
    metrics_.tasks = project_.workflow.tasks.size();
  }

  Result<void> run(Stage stage) {
    auto start = Clock::now();
    auto done = runStages(stage);
    metrics_.totalSeconds = Seconds(Clock::now() - start).count();
    if (done && project_.settings.enableMetrics && stage != Stage::Remove) {
      if (auto recorded = pipeline::recordRun(project_.dir, metrics_); !recorded)
        fmt::print(stderr, "warning: metrics not recorded: {}\n", recorded.error().message());
      else
        fmt::print("metrics appended to {}\n", (project_.dir / pipeline::kMetricsFileName).string());
    }
    return done;
  }

 private:
  Result<void> runStages(Stage stage) {
    bool build = stage == Stage::Build || stage == Stage::Brush;
    bool deploy = stage == Stage::Deploy || stage == Stage::Brush;
    bool push = build && !o_.noPush;
    // What the later stages need is checked first: a lattice or registry that is not there
    // fails in a second, not after the compilers ran.
    if (deploy || stage == Stage::Remove)
      if (auto ok = connect(); !ok) return ok;
    if (push)
      if (auto ok = pipeline::checkRegistry(project_, registryOptions()); !ok) return ok;
    if (stage == Stage::Remove) return remove();
    if (stage == Stage::Deploy) return deployManifest();

    auto gen = generate();
    if (!gen) return fail(std::move(gen.error()));
    if (!build) return {};
    auto built = compile(*gen);
    if (!built) return fail(std::move(built.error()));
    if (push)
      if (auto ok = publish(*built); !ok) return ok;
    if (!deploy) return {};
    return deployManifest();
  }

  Result<void> connect() {
    std::string url = fmt::format("nats://{}:{}", project_.settings.natsHost, project_.settings.natsPort);
    auto nats = lattice::NatsClient::connect(
        {.url = url, .auth = o_.auth, .name = "pelato pipeline",
         .urlHint = fmt::format("set NATS_HOST and NATS_PORT in {}/.env or the environment", o_.dir)});
    if (!nats) return fail(std::move(nats.error()));
    nats_ = std::move(*nats);
    auto subjects = lattice::Subjects::create(project_.settings.lattice);
    if (!subjects) return fail(std::move(subjects.error()).context("LATTICE"));
    wadm_.emplace(*nats_, project_.settings.lattice);
    ctl_.emplace(*nats_, std::move(*subjects), std::chrono::seconds(2));
    return {};
  }

  oci::RegistryOptions registryOptions() const {
    return {.credentials = {.username = project_.settings.registryUser, .password = project_.settings.registryPassword}};
  }

  Result<pipeline::GenOutput> generate() {
    auto start = Clock::now();
    auto gen = pipeline::generate(project_);
    if (!gen) return gen;
    metrics_.genSeconds = Seconds(Clock::now() - start).count();
    fmt::print("gen: {} task{} -> {} ({:.3f} s)\n", gen->tasks.size(), gen->tasks.size() == 1 ? "" : "s",
               project_.genDir().string(), *metrics_.genSeconds);
    return gen;
  }

  Result<std::vector<pipeline::BuiltTask>> compile(const pipeline::GenOutput& gen) {
    auto issuer = issuerKey(o_, env_);
    if (!issuer) return fail(std::move(issuer.error()));
    unsigned parallel = o_.jobs ? o_.jobs : project_.settings.parallelBuild;
    fmt::print("build: {} task{}, {} at a time\n", gen.tasks.size(), gen.tasks.size() == 1 ? "" : "s", parallel);
    std::fflush(stdout);
    BuildProgress progress(gen.tasks.size(), ::isatty(STDOUT_FILENO) == 1);
    auto start = Clock::now();
    auto built = pipeline::buildAll(project_, gen,
                                    {.search = {.environment = env_, .nodeRoots = {project_.dir, executableDir()}},
                                     .issuer = &*issuer, .parallel = parallel},
                                    [&](const pipeline::BuildEvent& e) {
                                      fmt::print("{}", progress.onEvent(e));
                                      std::fflush(stdout);
                                    });
    fmt::print("{}", progress.finish());
    if (!built) return built;
    metrics_.buildSeconds = Seconds(Clock::now() - start).count();
    metrics_.cached = std::count_if(built->begin(), built->end(), [](const auto& b) { return b.cached; });
    metrics_.compiled = built->size() - metrics_.cached;
    fmt::print("build: {} compiled, {} unchanged ({:.3f} s); signed by {}\n", metrics_.compiled, metrics_.cached,
               *metrics_.buildSeconds, issuer->publicKey().encode());
    return built;
  }

  Result<void> publish(const std::vector<pipeline::BuiltTask>& built) {
    auto start = Clock::now();
    auto pushed = pipeline::pushAll(project_, built, registryOptions());
    if (!pushed) return fail(std::move(pushed.error()));
    metrics_.pushSeconds = Seconds(Clock::now() - start).count();
    for (const auto& p : *pushed)
      fmt::print("  pushed {} ({}{})\n", p.image, p.manifestDigest.substr(0, 19),
                 p.blobsUploaded ? "" : ", already there");
    return {};
  }

  Result<void> deployManifest() {
    auto text = readTextFile(project_.manifestPath());
    if (!text)
      return fail("{} not found: run `pelato build {}` (or `pelato brush {}`) first", project_.manifestPath().string(),
                  o_.dir, o_.dir);
    auto start = Clock::now();
    auto outcome = pipeline::deployManifest(*wadm_, *text, std::chrono::milliseconds(o_.waitMs),
                                            [](const std::string& line) { fmt::print("  {}\n", line); });
    if (!outcome) return fail(std::move(outcome.error()));
    metrics_.deploySeconds = Seconds(Clock::now() - start).count();
    fmt::print("deploy: {} {} on lattice {} ({:.3f} s)\n", outcome->application, outcome->version,
               project_.settings.lattice, *metrics_.deploySeconds);
    return {};
  }

  Result<void> remove() {
    std::string app = pipeline::applicationName(project_.workflow);
    auto removed = pipeline::removeApplication(*wadm_, *ctl_, app, std::chrono::milliseconds(o_.waitMs),
                                               [](const std::string& line) { fmt::print("  {}\n", line); });
    if (!removed) return fail(std::move(removed.error()));
    if (*removed)
      fmt::print("remove: {} is gone from lattice {}\n", app, project_.settings.lattice);
    else
      fmt::print("remove: {} was not on lattice {}; nothing to do\n", app, project_.settings.lattice);
    return {};
  }

  const PipelineOptions& o_;
  pipeline::Project project_;
  pipeline::Environment env_;
  pipeline::RunMetrics metrics_;
  std::unique_ptr<lattice::NatsClient> nats_;
  std::optional<lattice::WadmClient> wadm_;
  std::optional<lattice::CtlClient> ctl_;
};

int runStage(const PipelineOptions& o, Stage stage) {
  auto env = environment();
  auto project = pipeline::loadProject(o.dir, env, std::max(1u, std::thread::hardware_concurrency()));
  if (!project) return reportError(project.error());
  PipelineRun run(o, std::move(*project), std::move(env));
  if (auto done = run.run(stage); !done) return reportError(done.error());
  return 0;
}

int newProject(const PipelineOptions& o) {
  auto lang = pipeline::languageFromName(o.lang);
  if (!lang) return reportError(Error(fmt::format("--lang {}: use one of {}", o.lang, fmt::join(pipeline::kLanguageNames, ", "))));
  auto files = pipeline::createProject(o.dir, *lang);
  if (!files) return reportError(files.error());
  fmt::print("created {}:\n", o.dir);
  for (const auto& f : *files) fmt::print("  {}\n", f.path);
  fmt::print("next: edit tasks/ and workflow.yaml, then `pelato brush {}`\n", o.dir);
  return 0;
}

void addNatsAuth(CLI::App& cmd, PipelineOptions& o) {
  cmd.add_option("--nats-user", o.auth.user, "NATS user name")->envname("NATS_USER");
  cmd.add_option("--nats-password", o.auth.password, "NATS password")->envname("NATS_PASSWORD");
  cmd.add_option("--nats-token", o.auth.token, "NATS authentication token")->envname("NATS_TOKEN");
  cmd.add_option("--creds", o.auth.credsFile, "NATS credentials file")->envname("NATS_CREDS")->check(CLI::ExistingFile);
}

void addStage(CLI::App& app, Action& action, Stage stage, const std::string& name, const std::string& help) {
  auto o = std::make_shared<PipelineOptions>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("dir", o->dir, "The project folder (with workflow.yaml)")->required();
  bool builds = stage == Stage::Build || stage == Stage::Brush;
  bool deploys = stage == Stage::Deploy || stage == Stage::Brush || stage == Stage::Remove;
  if (builds) {
    cmd->add_option("--issuer", o->issuer, "Account seed file that signs the modules (default: $PELATO_ISSUER_SEED, "
                                           "else ~/.config/pelato/issuer.nk, created on first use)");
    cmd->add_option("-j,--jobs", o->jobs, "Tasks built at once (default: PARALLEL_BUILD)");
  }
  if (stage == Stage::Build) cmd->add_flag("--no-push", o->noPush, "Build and sign only; push nothing");
  if (deploys) {
    cmd->add_option("--wait-ms", o->waitMs, stage == Stage::Remove ? "How long to wait for the components to stop"
                                                                   : "How long to wait until deployed (0: do not wait)")
        ->capture_default_str();
    addNatsAuth(*cmd, *o);
  }
  cmd->callback([o, stage, &action] { action = [o, stage] { return runStage(*o, stage); }; });
}

}  // namespace

void addPipelineCommands(CLI::App& app, Action& action) {
  auto o = std::make_shared<PipelineOptions>();
  auto* create = app.add_subcommand("new", "Create a PELATO project: workflow.yaml, .env and a sample task");
  create->add_option("dir", o->dir, "The new project's folder")->required();
  create->add_option("--lang", o->lang, "c, cpp, rust, as (AssemblyScript) or go (TinyGo)")->capture_default_str();
  create->callback([o, &action] { action = [o] { return newProject(*o); }; });

  addStage(app, action, Stage::Gen, "gen", "Generate DIR/gen: a component folder per task and wadm.yaml");
  addStage(app, action, Stage::Build, "build",
           "gen, then compile every task (in parallel, cached), sign and push to REGISTRY_URL");
  addStage(app, action, Stage::Deploy, "deploy", "Deploy DIR/gen/wadm.yaml through the orchestrator (wadm API)");
  addStage(app, action, Stage::Remove, "remove", "Undeploy the project's application and delete its versions");
  addStage(app, action, Stage::Brush, "brush", "gen -> build -> deploy");
}

}  // namespace pelato::cli
