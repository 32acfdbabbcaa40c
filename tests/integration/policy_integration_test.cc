// Trusted code only, end to end: modules signed with `pelato sign`, pushed with `pelato push`
// to a real docker-registry, scaled by image ref onto a real host that trusts one account. Every
// refusal (unsigned, tampered, untrusted issuer, not yet valid, an ungranted capability, a
// missing tag, registry credentials) arrives as component_scale_failed with its reason.
#include <gtest/gtest.h>

#include <fstream>

#include "common/file.h"
#include "common/subprocess.h"
#include "lattice/events.h"
#include "lattice/subjects.h"
#include "support/lattice_probe.h"
#include "support/nats_server.h"
#include "support/registry.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using lattice::Json;
using testing::ctlReply;
using testing::eventIs;

class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto nats = testing::NatsServer::start();
    if (!nats) GTEST_SKIP() << nats.error().message();
    auto registry = testing::Registry::start();
    if (!registry) GTEST_SKIP() << registry.error().message();
    nats_ = std::move(*nats);
    registry_ = std::move(*registry);
    auto client = lattice::NatsClient::connect({.url = nats_->url(), .name = "policy-test"});
    ASSERT_TRUE(client) << client.error().message();
    client_ = std::move(*client);
    auto events = client_->subscribe(subjects_.eventWildcard(), events_.handler());
    ASSERT_TRUE(events && client_->flush());
    eventSub_.emplace(std::move(*events));
    setenv("PELATO_CACHE_DIR", (dir_.path() / "cache").c_str(), 1);
  }
  void TearDown() override {
    eventSub_.reset();
    client_.reset();
  }

  ProcessResult pelato(std::vector<std::string> args) {
    args.insert(args.begin(), PELATO_BINARY);
    auto result = runProcess(args, {.cwd = dir_.path(), .timeout = 30s});
    EXPECT_TRUE(result) << result.error().message();
    return result ? *result : ProcessResult{.exitCode = -1};
  }
  // A new account key; returns its public key.
  std::string account(const std::string& file) {
    auto gen = pelato({"keys", "gen", "account", "-o", file});
    EXPECT_EQ(gen.exitCode, 0) << gen.err;
    auto pub = pelato({"keys", "public", file});
    EXPECT_EQ(pub.exitCode, 0) << pub.err;
    return pub.out.substr(0, pub.out.find('\n'));
  }
  std::string sign(const std::string& guest, const std::string& issuerFile, std::vector<std::string> extra = {}) {
    std::string out = (dir_.path() / (guest + "." + issuerFile + ".wasm")).string();
    std::vector<std::string> args{"sign", std::string(PELATO_GUEST_DIR) + "/" + guest + ".wasm", "--issuer",
                                  issuerFile, "--name", guest, "--version", "1.0.0", "-o", out};
    args.insert(args.end(), extra.begin(), extra.end());
    auto signedModule = pelato(args);
    EXPECT_EQ(signedModule.exitCode, 0) << signedModule.err;
    return out;
  }
  std::string push(const std::string& module, const std::string& repository) {
    std::string ref = registry_->host() + "/" + repository;
    auto pushed = pelato({"push", ref, module});
    EXPECT_EQ(pushed.exitCode, 0) << pushed.err;
    return ref;
  }
  void scale(const testing::HostChild& host, const std::string& id, const std::string& ref) {
    lattice::ScaleComponentCommand c{.componentRef = ref, .componentId = id, .maxInstances = 1};
    auto r = ctlReply(client_->request(*subjects_.componentScale(host.id), lattice::dumpJson(c.toJson()), 5s));
    ASSERT_TRUE(r.success) << r.message;
  }
  bool scaleFailed(const testing::HostChild& host, const std::string& id, const std::string& reason) {
    bool seen = events_.waitFor(1, eventIs("component_scale_failed", host.id, [&](const Json& d) {
      return d["component_id"] == id && d.value("error", "").find(reason) != std::string::npos;
    }), 15s);
    if (!seen)
      for (const auto& m : events_.messages())
        if (m.subject.ends_with("component_scale_failed")) ADD_FAILURE() << m.data;
    return seen;
  }

  TempDir dir_ = *TempDir::create("pelato-policy");
  lattice::Subjects subjects_ = *lattice::Subjects::create("policy");
  std::unique_ptr<testing::NatsServer> nats_;
  std::unique_ptr<testing::Registry> registry_;
  std::unique_ptr<lattice::NatsClient> client_;
  testing::Collector events_;
  std::optional<lattice::NatsSubscription> eventSub_;
};

TEST_F(PolicyTest, OnlyTrustedSignedModulesRun) {
  std::string trusted = account("trusted.nk");
  account("stranger.nk");
  auto host = testing::startHost(PELATO_BINARY, nats_->url(), "policy", {"--trusted-issuer", trusted, "--tier", "interp"});
  ASSERT_FALSE(host.id.empty());

  // Signed by the trusted account, pulled from the registry by image ref: it runs, and the event
  // carries its claims.
  std::string good = push(sign("upper_task", "trusted.nk"), "app/upper:1.0.0");
  scale(host, "upper", good);
  ASSERT_TRUE(events_.waitFor(1, eventIs("component_scaled", host.id, [&](const Json& d) {
    return d["component_id"] == "upper" && d.value("public_key", "").starts_with("M") &&
           d["claims"]["issuer"] == trusted && d["claims"]["name"] == "upper_task";
  }), 15s));
  auto answer = client_->request(*subjects_.rpc("upper"), "signed", 5s);
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->data, "SIGNED #1");
  // The same scale again (an orchestrator repeating itself) restarts nothing and still tells
  // who signed it.
  scale(host, "upper", good);
  EXPECT_TRUE(events_.waitFor(2, eventIs("component_scaled", host.id, [&](const Json& d) {
    return d["component_id"] == "upper" && d["claims"]["issuer"] == trusted;
  }), 15s));
  auto again = client_->request(*subjects_.rpc("upper"), "signed", 5s);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->data, "SIGNED #2") << "the same instance, still warm";
  // claims.get: the lattice's claims, from LATTICEDATA_<L>.
  auto claims = ctlReply(client_->request(subjects_.claimsGet(), "", 5s));
  ASSERT_TRUE(claims.success && claims.response && claims.response->is_array()) << claims.message;
  ASSERT_EQ(claims.response->size(), 1u);
  EXPECT_EQ((*claims.response)[0]["iss"], trusted);
  EXPECT_EQ((*claims.response)[0]["name"], "upper_task");
  EXPECT_EQ((*claims.response)[0]["version"], "1.0.0");

  // Unsigned.
  scale(host, "plain", "file://" + std::string(PELATO_GUEST_DIR) + "/upper_task.wasm");
  EXPECT_TRUE(scaleFailed(host, "plain", "not signed"));
  // A byte flipped after signing.
  std::string tampered = sign("upper_task", "trusted.nk", {"--tag", "tampered"});
  {
    auto bytes = readFile(tampered);
    ASSERT_TRUE(bytes);
    (*bytes)[bytes->size() / 3] ^= 0x01;
    ASSERT_TRUE(writeFileAtomic(tampered, *bytes));
  }
  scale(host, "tampered", "file://" + tampered);
  EXPECT_TRUE(scaleFailed(host, "tampered", "modified after signing"));
  // Signed by an account the host does not trust.
  scale(host, "stranger", push(sign("upper_task", "stranger.nk"), "app/stranger:1"));
  EXPECT_TRUE(scaleFailed(host, "stranger", "not trusted"));
  // Not valid yet.
  scale(host, "early", "file://" + sign("upper_task", "trusted.nk", {"--not-before", "2"}));
  EXPECT_TRUE(scaleFailed(host, "early", "not valid before"));
  // A host function the claims do not grant: key-value without the kv capability.
  lattice::Link kv{.sourceId = "counter", .target = "kv", .witNamespace = "wasi", .witPackage = "keyvalue",
                   .interfaces = {"store"}};
  ASSERT_TRUE(ctlReply(client_->request(subjects_.linkPut(), lattice::dumpJson(kv.toJson()), 5s)).success);
  scale(host, "counter", "file://" + sign("kv_counter_task", "trusted.nk"));
  EXPECT_TRUE(scaleFailed(host, "counter", "kv"));
  // With the capability it runs.
  kv.sourceId = "counter2";
  ASSERT_TRUE(ctlReply(client_->request(subjects_.linkPut(), lattice::dumpJson(kv.toJson()), 5s)).success);
  scale(host, "counter2", "file://" + sign("kv_counter_task", "trusted.nk", {"--caps", "kv"}));
  EXPECT_TRUE(events_.waitFor(1, eventIs("component_scaled", host.id, [](const Json& d) {
    return d["component_id"] == "counter2";
  }), 15s));
  auto counted = client_->request(*subjects_.rpc("counter2"), "pears", 5s);
  ASSERT_TRUE(counted) << counted.error().message();
  EXPECT_EQ(counted->data, "1");
  // A tag that is not in the registry.
  scale(host, "ghost", registry_->host() + "/app/upper:9.9.9");
  EXPECT_TRUE(scaleFailed(host, "ghost", "MANIFEST_UNKNOWN"));
  // The host is still up and serving.
  EXPECT_TRUE(ctlReply(client_->request(*subjects_.hostGet(host.id), "", 5s)).success);
}

// A registry behind a password: the host cannot pull until registry.put gives it credentials.
TEST_F(PolicyTest, RegistryCredentialsComeFromRegistryPut) {
  auto locked = testing::Registry::start({.user = "ci", .password = "hunter2"});
  if (!locked) GTEST_SKIP() << locked.error().message();
  std::string trusted = account("trusted.nk");
  std::string module = sign("upper_task", "trusted.nk");
  std::string ref = (*locked)->host() + "/app/upper:1";
  auto pushed = pelato({"push", ref, module, "--user", "ci", "--password", "hunter2"});
  ASSERT_EQ(pushed.exitCode, 0) << pushed.err;
  auto host = testing::startHost(PELATO_BINARY, nats_->url(), "policy", {"--trusted-issuer", trusted, "--tier", "interp"});
  ASSERT_FALSE(host.id.empty());

  scale(host, "upper", ref);
  EXPECT_TRUE(scaleFailed(host, "upper", "pulling " + ref));
  lattice::RegistryCredentials credentials{{(*locked)->host(), {.username = "ci", .password = "wrong"}}};
  Json body = Json::object();
  for (const auto& [registry, credential] : credentials) body[registry] = credential.toJson();
  ASSERT_TRUE(ctlReply(client_->request(subjects_.registryPut(), lattice::dumpJson(body), 5s)).success);
  scale(host, "upper-wrong", ref);
  EXPECT_TRUE(scaleFailed(host, "upper-wrong", "wrong username or password"));
  body[(*locked)->host()]["password"] = "hunter2";
  ASSERT_TRUE(ctlReply(client_->request(subjects_.registryPut(), lattice::dumpJson(body), 5s)).success);
  scale(host, "upper-right", ref);
  EXPECT_TRUE(events_.waitFor(1, eventIs("component_scaled", host.id, [](const Json& d) {
    return d["component_id"] == "upper-right";
  }), 15s));
}

}  // namespace
}  // namespace pelato
