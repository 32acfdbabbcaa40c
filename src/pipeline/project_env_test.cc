#include "pipeline/project_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

using ::testing::HasSubstr;

Result<ProjectSettings> resolve(std::string_view file, const Environment& env = {},
                                unsigned cores = 4) {
  auto entries = parseEnvFile(file, "p/.env");
  if (!entries) return std::unexpected(entries.error());
  return resolveSettings(*entries, "p/.env", env, cores);
}

TEST(ProjectEnv, DefaultsWithoutAnything) {
  auto s = resolve("");
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(*s, (ProjectSettings{.parallelBuild = 4}));
  EXPECT_EQ(s->natsHost, "127.0.0.1");
  EXPECT_EQ(s->natsPort, 4222);
  EXPECT_EQ(s->lattice, "default");
  EXPECT_FALSE(s->enableMetrics);
}

TEST(ProjectEnv, ThesisTemplate) {
  auto s = resolve(R"(REGISTRY_URL=
REGISTRY_USER=
REGISTRY_PASSWORD=
PARALLEL_BUILD=True
NATS_HOST=localhost
NATS_PORT=4222
ENABLE_METRICS=True
)",
                   {}, 2);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(
      *s,
      (ProjectSettings{
          .parallelBuild = 2, .natsHost = "localhost", .natsPort = 4222, .enableMetrics = true}));
}

TEST(ProjectEnv, EnvironmentOverridesFile) {
  auto s = resolve(R"(REGISTRY_URL=localhost:5000/pelato/
REGISTRY_USER=file
NATS_PORT=4222
LATTICE=edge-lab
)",
                   {{"REGISTRY_USER", "ci"},
                    {"REGISTRY_PASSWORD", "s3cret"},
                    {"NATS_PORT", "14222"},
                    {"LATTICE", ""},  // empty: back to the default
                    {"PATH", "/usr/bin"}});
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->registryUrl, "localhost:5000/pelato");  // trailing '/' dropped
  EXPECT_EQ(s->registryUser, "ci");
  EXPECT_EQ(s->registryPassword, "s3cret");
  EXPECT_EQ(s->natsPort, 14222);
  EXPECT_EQ(s->lattice, "default");
}

TEST(ProjectEnv, ParallelBuild) {
  auto jobs = [](std::string_view v, unsigned cores) {
    auto s = resolve(fmt::format("PARALLEL_BUILD={}\n", v), {}, cores);
    EXPECT_TRUE(s) << s.error().message();
    return s ? s->parallelBuild : 0u;
  };
  EXPECT_EQ(jobs("True", 8), 8u);
  EXPECT_EQ(jobs("false", 8), 1u);
  EXPECT_EQ(jobs("3", 8), 3u);
  EXPECT_EQ(jobs("1", 8), 1u);
  EXPECT_EQ(jobs("16", 2), 2u);   // bounded by the cores
  EXPECT_EQ(jobs("yes", 0), 1u);  // a caller that could not count cores still builds
  EXPECT_EQ(resolve("PARALLEL_BUILD=0\n").error().message(),
            "p/.env:1: PARALLEL_BUILD=0: use True (one build per core), False (one at a time) or "
            "a number of builds at once (1 or more)");
}

TEST(ProjectEnv, BadValuesNameWhereTheyCameFrom) {
  EXPECT_EQ(resolve("\nNATS_PORT=http\n").error().message(),
            "p/.env:2: NATS_PORT=http: use a TCP port from 1 to 65535 (nats-server listens on "
            "4222)");
  EXPECT_EQ(resolve("", {{"NATS_PORT", "70000"}}).error().message(),
            "environment: NATS_PORT=70000: use a TCP port from 1 to 65535 (nats-server listens "
            "on 4222)");
  EXPECT_THAT(resolve("NATS_HOST=nats://x:4222\n").error().message(),
              HasSubstr("without scheme or port"));
  EXPECT_THAT(resolve("REGISTRY_URL=https://r.example/x\n").error().message(),
              HasSubstr("without a scheme"));
  EXPECT_THAT(resolve("ENABLE_METRICS=maybe\n").error().message(),
              HasSubstr("ENABLE_METRICS=maybe: use True or False"));
  EXPECT_THAT(resolve("LATTICE=a.b\n").error().message(), HasSubstr("NATS subject token"));
  EXPECT_EQ(resolve("NATS_POST=4222\n").error().message(),
            "p/.env:1: unknown setting NATS_POST (did you mean \"NATS_PORT\"?); known: "
            "REGISTRY_URL, REGISTRY_USER, REGISTRY_PASSWORD, PARALLEL_BUILD, NATS_HOST, "
            "NATS_PORT, ENABLE_METRICS, LATTICE");
}

TEST(ProjectEnv, MetricsFlagSpellings) {
  for (auto [v, want] : {std::pair{"True", true}, std::pair{"1", true}, std::pair{"off", false},
                         std::pair{"FALSE", false}, std::pair{"0", false}}) {
    auto s = resolve(fmt::format("ENABLE_METRICS={}\n", v));
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(s->enableMetrics, want) << v;
  }
}

TEST(ProjectEnv, LoadFromProjectDir) {
  auto dir = TempDir::create("pipeline-env").value();
  auto none = loadProjectSettings(dir.path(), {{"NATS_HOST", "10.0.0.1"}}, 2);
  ASSERT_TRUE(none) << none.error().message();  // a project needs no .env
  EXPECT_EQ(none->natsHost, "10.0.0.1");
  std::ofstream(dir.path() / ".env") << "NATS_PORT=5222\nPARALLEL_BUILD=False\nBAD LINE\n";
  auto bad = loadProjectSettings(dir.path(), {}, 2);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(),
            fmt::format("{}/.env:3: expected KEY=VALUE (or a # comment); got \"BAD LINE\"",
                        dir.path().string()));
  std::ofstream(dir.path() / ".env") << "NATS_PORT=5222\nPARALLEL_BUILD=False\n";
  auto s = loadProjectSettings(dir.path(), {}, 2);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->natsPort, 5222);
  EXPECT_EQ(s->parallelBuild, 1u);
}

}  // namespace
}  // namespace pelato::pipeline
