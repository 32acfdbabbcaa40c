// WadmClient against a real nats-server with a fake orchestrator: handlers subscribed on the
// wadm API subjects that reply the way wadm does.
#include "lattice/wadm_client.h"

#include <gtest/gtest.h>

#include <mutex>

#include "support/nats_test.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

class WadmClientTest : public testing::NatsTest {
 protected:
  void SetUp() override {
    NatsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    wadm_.emplace(*client_, "wadmtest", 300ms);
  }

  void TearDown() override {
    fakes_.clear();
    NatsTest::TearDown();
  }

  // The fake orchestrator: answers `subject` with `reply(request body)`, remembering requests.
  void respond(const std::string& subject, std::function<std::string(const std::string&)> reply) {
    auto sub = client_->subscribe(subject, [this, reply](NatsMessage m) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(m);
      }
      (void)client_->respond(m, reply(m.data));
    });
    ASSERT_TRUE(sub) << sub.error().message();
    fakes_.push_back(std::move(*sub));
    ASSERT_TRUE(client_->flush());
  }
  template <typename T>
  void respondWith(const std::string& subject, T message) {
    respond(subject, [text = encode(message)](const std::string&) { return text; });
  }

  std::vector<NatsMessage> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  const WadmSubjects& subjects() { return wadm_->subjects(); }

  std::optional<WadmClient> wadm_;
  std::mutex mutex_;
  std::vector<NatsMessage> requests_;
  std::vector<NatsSubscription> fakes_;
};

TEST_F(WadmClientTest, PutSendsTheManifestTextAsIs) {
  respondWith(subjects().put(), PutModelResponse{PutResult::NewVersion, 2, "v2", "", "temperature"});
  auto put = wadm_->put("apiVersion: core.oam.dev/v1beta1\n");
  ASSERT_TRUE(put) << put.error().message();
  EXPECT_EQ(put->currentVersion, "v2");
  EXPECT_EQ(put->totalVersions, 2u);
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].data, "apiVersion: core.oam.dev/v1beta1\n");
}

TEST_F(WadmClientTest, PutRefusedCarriesTheOrchestratorsReason) {
  respondWith(subjects().put(), PutModelResponse{.result = PutResult::Error, .message = "spec.components: missing"});
  auto put = wadm_->put("{}");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().message(),
            "storing the manifest failed: spec.components: missing; fix the manifest and put it again");
}

TEST_F(WadmClientTest, NoOrchestratorSaysHowToStartOne) {
  auto put = wadm_->put("{}");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().message(),
            "no orchestrator answered on wadm.api.wadmtest.model.put within 300 ms; start one with "
            "`pelato orchestrator --nats " + server_->url() + "` (or `pelato up`)");

  // A subscriber that never answers is the same to the user.
  respond(*subjects().status("slow"), [](const std::string&) {
    std::this_thread::sleep_for(600ms);
    return std::string("{}");
  });
  auto status = wadm_->status("slow");
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("no orchestrator answered on wadm.api.wadmtest.model.status.slow"),
            std::string::npos)
      << status.error().message();
}

TEST_F(WadmClientTest, GetAsksForTheVersionAndReturnsTheManifest) {
  Json manifest{{"apiVersion", "core.oam.dev/v1beta1"}, {"metadata", {{"name", "temperature"}}}};
  respondWith(*subjects().get("temperature"), GetModelResponse{GetResult::Success, "", manifest});
  auto newest = wadm_->get("temperature");
  ASSERT_TRUE(newest) << newest.error().message();
  EXPECT_EQ(*newest, manifest);
  ASSERT_TRUE(wadm_->get("temperature", "v1"));
  ASSERT_EQ(requests().size(), 2u);
  EXPECT_EQ(requests()[0].data, "{}");
  EXPECT_EQ(requests()[1].data, R"({"version":"v1"})");
}

TEST_F(WadmClientTest, NotFoundSaysWhereToLook) {
  respondWith(*subjects().get("nope"), GetModelResponse{GetResult::NotFound, "Model not found", std::nullopt});
  auto got = wadm_->get("nope");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message(),
            "no application named nope on lattice wadmtest (orchestrator: Model not found); `pelato app list` "
            "shows them");
  auto version = wadm_->get("nope", "v9");
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().message(),
            "application nope has no version v9 (orchestrator: Model not found); `pelato app versions nope` lists "
            "them");

  // A message that already names the application (pelato's orchestrator) is not repeated.
  respondWith(*subjects().versions("nope"),
              VersionResponse{GetResult::NotFound, "no application named nope; `pelato app list` shows them", {}});
  auto versions = wadm_->versions("nope");
  ASSERT_FALSE(versions);
  EXPECT_EQ(versions.error().message(), "no application named nope on lattice wadmtest; `pelato app list` shows them");

  respondWith(*subjects().status("gone"), StatusResponse{StatusResult::NotFound, "", std::nullopt});
  auto status = wadm_->status("gone");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message(), "no application named gone on lattice wadmtest; `pelato app list` shows them");
}

TEST_F(WadmClientTest, ListVersionsAndStatus) {
  ModelSummary summary{.name = "temperature", .version = "v2", .deployedVersion = "v1",
                       .detailedStatus = {.info = {StatusType::Deployed, ""}}, .status = StatusType::Deployed};
  respondWith(subjects().list(), ListModelsResponse{GetResult::Success, "", {summary}});
  auto list = wadm_->list();
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0], summary);

  respondWith(*subjects().versions("temperature"),
              VersionResponse{GetResult::Success, "", {{"v1", true}, {"v2", false}}});
  auto versions = wadm_->versions("temperature");
  ASSERT_TRUE(versions) << versions.error().message();
  EXPECT_EQ(*versions, (std::vector<VersionInfo>{{"v1", true}, {"v2", false}}));

  Status status{.info = {StatusType::Reconciling, "scaling"},
                .scalers = {{.id = "s1", .kind = "SpreadScaler", .name = "upper", .info = {StatusType::Reconciling, "1/3"}}}};
  respondWith(*subjects().status("temperature"), StatusResponse{StatusResult::Ok, "", status});
  auto got = wadm_->status("temperature");
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(*got, status);
}

TEST_F(WadmClientTest, DeployUndeployAndDeleteSendWadmsBodies) {
  respondWith(*subjects().deploy("temperature"),
              DeployModelResponse{DeployResult::Acknowledged, "", "temperature", "v2"});
  respondWith(*subjects().undeploy("temperature"),
              DeployModelResponse{DeployResult::Acknowledged, "", "temperature", std::nullopt});
  respondWith(*subjects().del("temperature"), DeleteModelResponse{DeleteResult::Noop, "no such version", false});

  auto deployed = wadm_->deploy("temperature", "v2");
  ASSERT_TRUE(deployed) << deployed.error().message();
  EXPECT_EQ(deployed->version, "v2");
  ASSERT_TRUE(wadm_->undeploy("temperature"));
  auto deleted = wadm_->del("temperature", "v7");
  ASSERT_TRUE(deleted) << deleted.error().message();  // noop is an answer, not a failure
  EXPECT_EQ(deleted->result, DeleteResult::Noop);

  auto sent = requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].data, R"({"version":"v2"})");
  EXPECT_EQ(sent[1].data, "{}");
  EXPECT_EQ(sent[2].data, R"({"version":"v7"})");
}

TEST_F(WadmClientTest, ErrorResultsAndBadRepliesAreErrors) {
  respondWith(*subjects().deploy("temperature"),
              DeployModelResponse{.result = DeployResult::Error, .message = "no hosts with zone=edge"});
  auto deployed = wadm_->deploy("temperature");
  ASSERT_FALSE(deployed);
  EXPECT_EQ(deployed.error().message(), "deploying application temperature failed: no hosts with zone=edge");

  respond(subjects().list(), [](const std::string&) { return std::string(R"({"result":"maybe"})"); });
  auto list = wadm_->list();
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().message(),
            "the orchestrator's reply on wadm.api.wadmtest.model.list: result: expected one of success, notfound, "
            "error, got \"maybe\"");

  auto badName = wadm_->status("a.b");
  ASSERT_FALSE(badName);
  EXPECT_NE(badName.error().message().find("application name"), std::string::npos);
}

}  // namespace
}  // namespace pelato::lattice
