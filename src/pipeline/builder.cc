#include "pipeline/builder.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "common/file.h"
#include "common/subprocess.h"
#include "common/version.h"
#include "pipeline/build_key.h"
#include "pipeline/compiler_output.h"
#include "runtime/module.h"
#include "runtime/task_abi.h"
#include "security/capabilities.h"
#include "security/module_claims.h"
#include "security/seed_file.h"

namespace pelato::pipeline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kOutputPlaceholder = "<output>";

Result<std::vector<std::pair<std::string, std::string>>> folderFiles(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto text = readTextFile(it->path());
    if (!text) return fail(std::move(text.error()));
    files.emplace_back(fs::relative(it->path(), dir).generic_string(), std::move(*text));
  }
  if (ec) return fail("reading {}: {}", dir.string(), ec.message());
  return files;
}

// The component's own identity (claims subject), the same across builds.
Result<security::KeyPair> componentKey(const Project& project, const std::string& component) {
  fs::path file = project.stateDir() / "keys" / (component + ".nk");
  std::error_code ec;
  if (fs::exists(file, ec)) return security::readSeedFile(file, security::KeyType::Component);
  fs::create_directories(file.parent_path(), ec);
  auto pair = security::KeyPair::generate(security::KeyType::Component);
  if (auto ok = security::writeSeedFile(file, pair); !ok) return fail(std::move(ok.error()));
  return pair;
}

// The pelato capabilities a module's imports need (kv for pelato.kv_*).
std::vector<std::string> neededCaps(const runtime::Module& module) {
  std::vector<std::string> caps;
  for (const auto& import : module.imports()) {
    if (import.module != "pelato") continue;
    if (auto cap = security::capabilityForImport(import.name);
        cap && std::find(caps.begin(), caps.end(), *cap) == caps.end())
      caps.emplace_back(*cap);
  }
  return caps;
}

Result<void> signInto(const Project& project, const Task& task, const fs::path& unsigned_, const fs::path& out,
                      const security::KeyPair& issuer) {
  auto bytes = readFile(unsigned_);
  if (!bytes) return fail(std::move(bytes.error()));
  auto module = runtime::Module::load(*bytes);
  if (!module) return fail(std::move(module.error()).context("the compiled module is not valid wasm"));
  if (auto abi = runtime::checkTaskAbi(*module); !abi)
    return fail(std::move(abi.error()).context("the compiled module does not implement the task ABI (check the glue)"));
  auto subject = componentKey(project, task.componentName);
  if (!subject) return fail(std::move(subject.error()));
  security::ComponentClaims claims{.issuedAt = security::toJwtTime(std::chrono::system_clock::now()),
                                   .subject = subject->publicKey().encode(),
                                   .name = task.componentName,
                                   .version = task.version,
                                   .pelatoCaps = neededCaps(*module)};
  auto signedModule = security::signModule(*bytes, std::move(claims), issuer);
  if (!signedModule) return fail(std::move(signedModule.error()));
  return writeFileAtomic(out, *signedModule);
}

struct TaskOutcome {
  Result<BuiltTask> built = fail("not built");
};

Result<BuiltTask> buildOne(const Project& project, const GeneratedTask& gen, const Toolchain& toolchain,
                           const BuildOptions& options, const BuildObserver& notify) {
  auto start = Clock::now();
  const Task& task = gen.task;
  fs::path cache = project.stateDir() / "build" / task.componentName;
  fs::path module = cache / (task.componentName + ".wasm");
  fs::path keyFile = cache / "key";

  auto files = folderFiles(gen.dir);
  if (!files) return fail(std::move(files.error()));
  auto command = buildCommand(toolchain, task.code, kOutputPlaceholder);
  std::string key = buildKey({.command = command, .compilerIdentity = toolchain.identity,
                              .signer = options.issuer->publicKey().encode(),
                              .pelatoVersion = std::string(kVersion), .files = std::move(*files)});
  std::error_code ec;
  if (auto cached = readTextFile(keyFile); cached && *cached == key && fs::is_regular_file(module, ec)) {
    BuiltTask out{.task = gen, .module = module, .cached = true, .time = Clock::now() - start};
    notify({.kind = BuildEvent::Kind::Cached, .component = task.componentName, .time = out.time});
    return out;
  }

  notify({.kind = BuildEvent::Kind::Started, .component = task.componentName});
  fs::create_directories(cache, ec);
  if (ec) return fail("creating {}: {}", cache.string(), ec.message());
  fs::remove(keyFile, ec);  // the key is written last: a half-done build is never taken as cached
  fs::path compiled = fs::absolute(cache / "unsigned.wasm", ec);
  auto run = runProcess(buildCommand(toolchain, task.code, compiled),
                        {.cwd = gen.dir, .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options.compileTimeout)});
  if (!run) return fail(std::move(run.error()).context(fmt::format("running {}", toolchain.compiler.string())));
  if (run->exitCode != 0) {
    std::string output = run->err + run->out;
    std::string shown = (project.dir / kTasksDirName / task.code).string();
    return fail("{} failed (exit {}):\n{}", toolchain.compiler.filename().string(), run->exitCode,
                mapCompilerOutput(output, fs::absolute(gen.dir, ec).string(), task.code, shown));
  }
  if (auto ok = signInto(project, task, compiled, module, *options.issuer); !ok) return fail(std::move(ok.error()));
  fs::remove(compiled, ec);
  std::span<const uint8_t> keyBytes(reinterpret_cast<const uint8_t*>(key.data()), key.size());
  if (auto ok = writeFileAtomic(keyFile, keyBytes); !ok) return fail(std::move(ok.error()));
  return BuiltTask{.task = gen, .module = module, .time = Clock::now() - start};
}

}  // namespace

Result<std::vector<BuiltTask>> buildAll(const Project& project, const GenOutput& gen, const BuildOptions& options,
                                        const BuildObserver& observer) {
  if (!options.issuer) return fail("no signing key given");
  // Toolchains first, once per language: a missing compiler fails before anything runs.
  std::map<Language, Toolchain> toolchains;
  for (const auto& t : gen.tasks) {
    if (toolchains.contains(t.task.lang)) continue;
    auto toolchain = findToolchain(t.task.lang, options.search);
    if (!toolchain)
      return fail(std::move(toolchain.error()).context(fmt::format("task {} ({})", t.task.componentName, languageName(t.task.lang))));
    toolchains.emplace(t.task.lang, std::move(*toolchain));
  }

  std::mutex mutex;
  auto notify = [&](const BuildEvent& e) {
    std::lock_guard lock(mutex);
    if (observer) observer(e);
  };
  std::vector<TaskOutcome> outcomes(gen.tasks.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < gen.tasks.size(); i = next++) {
      auto start = Clock::now();
      const auto& t = gen.tasks[i];
      outcomes[i].built = buildOne(project, t, toolchains.at(t.task.lang), options, notify);
      if (outcomes[i].built && !outcomes[i].built->cached)
        notify({.kind = BuildEvent::Kind::Built, .component = t.task.componentName, .time = outcomes[i].built->time});
      else if (!outcomes[i].built)
        notify({.kind = BuildEvent::Kind::Failed, .component = t.task.componentName, .time = Clock::now() - start});
    }
  };
  unsigned threads = std::clamp<unsigned>(options.parallel, 1, std::max<size_t>(gen.tasks.size(), 1));
  std::vector<std::jthread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  pool.clear();

  std::vector<BuiltTask> built;
  std::vector<std::string> failures;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].built) built.push_back(std::move(*outcomes[i].built));
    else failures.push_back(fmt::format("task {} ({}): {}", gen.tasks[i].task.componentName,
                                        gen.tasks[i].task.name, outcomes[i].built.error().message()));
  }
  if (!failures.empty())
    return fail("{} of {} task{} failed to build:\n{}", failures.size(), gen.tasks.size(),
                gen.tasks.size() == 1 ? "" : "s", fmt::join(failures, "\n"));
  return built;
}

}  // namespace pelato::pipeline
