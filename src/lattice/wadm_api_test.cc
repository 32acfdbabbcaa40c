#include "lattice/wadm_api.h"

#include <gtest/gtest.h>

namespace pelato::lattice {
namespace {

// Round trip through JSON text: what one side writes, the other reads back equal.
template <typename T>
T roundTrip(const T& message) {
  auto back = decode<T>(encode(message));
  EXPECT_TRUE(back) << back.error().message();
  return back ? *back : T{};
}

template <typename T>
T roundTripNested(const T& message) {
  auto back = T::fromJson(message.toJson(), "");
  EXPECT_TRUE(back) << back.error().message();
  return back ? *back : T{};
}

template <typename T>
std::string errorOf(std::string_view text) {
  auto message = decode<T>(text);
  EXPECT_FALSE(message);
  return message ? "" : message.error().message();
}

// --- subjects ----------------------------------------------------------------------------

TEST(WadmSubjectsTest, BuildsEverySubject) {
  WadmSubjects s("default");
  EXPECT_EQ(s.put(), "wadm.api.default.model.put");
  EXPECT_EQ(s.list(), "wadm.api.default.model.list");
  EXPECT_EQ(s.get("temp"), "wadm.api.default.model.get.temp");
  EXPECT_EQ(s.versions("temp"), "wadm.api.default.model.versions.temp");
  EXPECT_EQ(s.del("temp"), "wadm.api.default.model.del.temp");
  EXPECT_EQ(s.deploy("temp"), "wadm.api.default.model.deploy.temp");
  EXPECT_EQ(s.undeploy("temp"), "wadm.api.default.model.undeploy.temp");
  EXPECT_EQ(s.status("temp"), "wadm.api.default.model.status.temp");
  EXPECT_EQ(s.all(), "wadm.api.default.model.>");
}

TEST(WadmSubjectsTest, RefusesNamesThatWouldBreakTheSubject) {
  WadmSubjects s("default");
  for (auto bad : {"", "a.b", "a*", "a>", "a b"}) {
    auto subject = s.get(bad);
    ASSERT_FALSE(subject) << bad;
    EXPECT_NE(subject.error().message().find("application name"), std::string::npos)
        << subject.error().message();
  }
  EXPECT_FALSE(s.of(WadmOperation::List, "x"));
}

TEST(WadmSubjectsTest, ParsesWhatItBuilds) {
  WadmSubjects s("edge-1");
  for (auto op : {WadmOperation::Put, WadmOperation::Get, WadmOperation::List, WadmOperation::Versions,
                  WadmOperation::Delete, WadmOperation::Deploy, WadmOperation::Undeploy,
                  WadmOperation::Status}) {
    std::string name = wadmTakesName(op) ? "temperature" : "";
    auto subject = s.of(op, name);
    ASSERT_TRUE(subject) << subject.error().message();
    auto parsed = s.parse(*subject);
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(*parsed, (WadmSubject{op, name})) << *subject;
  }
}

TEST(WadmSubjectsTest, ParseSaysWhatIsWrong) {
  WadmSubjects s("default");
  auto message = [&](std::string_view subject) {
    auto parsed = s.parse(subject);
    EXPECT_FALSE(parsed) << subject;
    return parsed ? "" : parsed.error().message();
  };
  EXPECT_NE(message("wadm.api.other.model.put").find("lattice default"), std::string::npos);
  EXPECT_NE(message("wadm.api.default.model.explode.x").find("unknown wadm API operation"), std::string::npos);
  EXPECT_NE(message("wadm.api.default.model.deployx.x").find("unknown"), std::string::npos);
  EXPECT_EQ(message("wadm.api.default.model.get"), "model.get needs an application name: model.get.<name>");
  EXPECT_NE(message("wadm.api.default.model.list.x").find("takes no application name"), std::string::npos);
  EXPECT_NE(message("wadm.api.default.model.get.a.b").find("model.get: application name"), std::string::npos);
}

// --- status ------------------------------------------------------------------------------

TEST(WadmStatusTest, TypesReadTheirNamesAndWadmsOldAliases) {
  for (auto type : {StatusType::Waiting, StatusType::Undeployed, StatusType::Reconciling,
                    StatusType::Deployed, StatusType::Failed, StatusType::Unhealthy})
    EXPECT_EQ(parseStatusType(statusTypeName(type)), type);
  EXPECT_EQ(parseStatusType("compensating"), StatusType::Reconciling);
  EXPECT_EQ(parseStatusType("ready"), StatusType::Deployed);
  EXPECT_FALSE(parseStatusType("Deployed"));
}

TEST(WadmStatusTest, AggregatesLikeWadm) {
  using enum StatusType;
  auto sum = [](std::initializer_list<StatusType> types) {
    return aggregateStatus(std::span(types.begin(), types.size()));
  };
  // wadm-types api.rs test_status_aggregate, case by case.
  EXPECT_EQ(sum({Deployed, Deployed}), Deployed);
  EXPECT_EQ(sum({Undeployed, Undeployed}), Undeployed);
  EXPECT_EQ(sum({Undeployed, Failed}), Failed);
  EXPECT_EQ(sum({Reconciling, Undeployed}), Undeployed);
  EXPECT_EQ(sum({Deployed, Undeployed}), Undeployed);
  EXPECT_EQ(sum({Deployed, Reconciling, Undeployed, Failed}), Failed);
  EXPECT_EQ(sum({Deployed, Unhealthy}), Unhealthy);
  EXPECT_EQ(sum({Reconciling, Unhealthy}), Reconciling);
  EXPECT_EQ(sum({Waiting, Reconciling}), Waiting);
  EXPECT_EQ(sum({Deployed}), Deployed);
  EXPECT_EQ(sum({}), Undeployed);
  EXPECT_EQ(combineStatus(Unhealthy, Deployed), Unhealthy);
}

Status sampleStatus() {
  return Status{
      .info = {StatusType::Reconciling, "1 of 3 scalers ready"},
      .scalers = {{.id = "a1", .kind = "SpreadScaler", .name = "upper-spread",
                   .info = {StatusType::Deployed, ""}},
                  {.id = "b2", .kind = "LinkScaler", .name = "upper -> nats",
                   .info = {StatusType::Failed, "no such target"}}},
      .version = "v2",
      .components = {{.name = "upper", .type = "component", .info = {StatusType::Deployed, ""},
                      .traits = {{.type = "spreadscaler", .info = {StatusType::Deployed, ""}}}}},
  };
}

TEST(WadmStatusTest, StatusRoundTripsAndOmitsEmptyFields) {
  Status status = sampleStatus();
  EXPECT_EQ(roundTripNested(status), status);
  Json json = status.toJson();
  EXPECT_EQ(json["status"], (Json{{"type", "reconciling"}, {"message", "1 of 3 scalers ready"}}));
  EXPECT_EQ(json["scalers"][0]["status"], (Json{{"type", "deployed"}}));  // no "message": ""
  EXPECT_FALSE(Status{}.toJson().contains("scalers"));
  EXPECT_FALSE(ComponentStatus{}.toJson().contains("traits"));
}

// --- requests ----------------------------------------------------------------------------

TEST(WadmRequestTest, VersionRequests) {
  EXPECT_EQ(encode(VersionRequest{}), "{}");
  EXPECT_EQ(encode(VersionRequest{"v2"}), R"({"version":"v2"})");
  EXPECT_EQ(decodeWadmRequest<DeployModelRequest>(""), DeployModelRequest{});
  EXPECT_EQ(decodeWadmRequest<DeployModelRequest>(" \n"), DeployModelRequest{});
  EXPECT_EQ(decodeWadmRequest<DeployModelRequest>(R"({"version":null})"), DeployModelRequest{});
  EXPECT_EQ(decodeWadmRequest<DeployModelRequest>(R"({"version":"v1"})"), DeployModelRequest{"v1"});
  auto bad = decodeWadmRequest<GetModelRequest>(R"({"version":3})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("version"), std::string::npos) << bad.error().message();

  EXPECT_TRUE(DeployModelRequest{}.wantsLatest());
  EXPECT_TRUE(DeployModelRequest{""}.wantsLatest());
  EXPECT_TRUE(DeployModelRequest{"latest"}.wantsLatest());
  EXPECT_FALSE(DeployModelRequest{"v1"}.wantsLatest());
}

// --- responses ---------------------------------------------------------------------------

TEST(WadmResponseTest, EveryResponseRoundTrips) {
  PutModelResponse put{PutResult::NewVersion, 3, "v2", "Successfully put manifest", "temperature"};
  EXPECT_EQ(roundTrip(put), put);
  GetModelResponse get{GetResult::Success, "", Json{{"apiVersion", "core.oam.dev/v1beta1"}}};
  EXPECT_EQ(roundTrip(get), get);
  GetModelResponse missing{GetResult::NotFound, "Model not found", std::nullopt};
  EXPECT_EQ(roundTrip(missing), missing);
  EXPECT_FALSE(missing.toJson().contains("manifest"));
  ModelSummary summary{.name = "temperature", .version = "v2", .description = "reads sensors",
                       .deployedVersion = "v1", .detailedStatus = sampleStatus(),
                       .status = StatusType::Reconciling, .statusMessage = "1 of 3 scalers ready"};
  ListModelsResponse list{GetResult::Success, "", {summary, {.name = "other"}}};
  EXPECT_EQ(roundTrip(list), list);
  VersionResponse versions{GetResult::Success, "", {{"v1", true}, {"v2", false}}};
  EXPECT_EQ(roundTrip(versions), versions);
  DeleteModelResponse del{DeleteResult::Deleted, "deleted", true};
  EXPECT_EQ(roundTrip(del), del);
  DeployModelResponse deploy{DeployResult::Acknowledged, "", "temperature", "v2"};
  EXPECT_EQ(roundTrip(deploy), deploy);
  StatusResponse status{StatusResult::Ok, "", sampleStatus()};
  EXPECT_EQ(roundTrip(status), status);
  EXPECT_FALSE((StatusResponse{StatusResult::NotFound, "no", std::nullopt}.toJson().contains("status")));
}

TEST(WadmResponseTest, ResultsAreLowercase) {
  EXPECT_EQ(PutModelResponse{.result = PutResult::NewVersion}.toJson()["result"], "newversion");
  EXPECT_EQ(GetModelResponse{.result = GetResult::NotFound}.toJson()["result"], "notfound");
  EXPECT_EQ(DeleteModelResponse{.result = DeleteResult::Noop}.toJson()["result"], "noop");
  EXPECT_EQ(DeployModelResponse{.result = DeployResult::Acknowledged}.toJson()["result"], "acknowledged");
  EXPECT_EQ(StatusResponse{.result = StatusResult::Ok}.toJson()["result"], "ok");
}

// A model.list reply as wadm 0.14 writes it (serde output of ListModelsResponse).
TEST(WadmResponseTest, ReadsWadmsListReply) {
  auto list = decode<ListModelsResponse>(R"({
    "result": "success", "message": "Successfully fetched list of applications",
    "models": [{
      "name": "rust-hello-world", "version": "01HX8Z2Q1V", "description": "Hello world",
      "deployed_version": "01HX8Z2Q1V",
      "detailed_status": {
        "status": {"type": "deployed"},
        "scalers": [{"id": "rust_hello_world-http_component-daemonscaler-3f2e", "kind": "DaemonScaler",
                     "name": "daemonscaler", "status": {"type": "deployed"}}],
        "version": "", "components": []},
      "status": "deployed", "status_message": null
    }, {
      "name": "old", "version": "v1", "description": null, "deployed_version": null,
      "status": "compensating"
    }]})");
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_EQ(list->result, GetResult::Success);
  ASSERT_EQ(list->models.size(), 2u);
  const auto& first = list->models[0];
  EXPECT_EQ(first.name, "rust-hello-world");
  EXPECT_EQ(first.description, "Hello world");
  EXPECT_EQ(first.deployedVersion, "01HX8Z2Q1V");
  EXPECT_EQ(first.detailedStatus.info.type, StatusType::Deployed);
  ASSERT_EQ(first.detailedStatus.scalers.size(), 1u);
  EXPECT_EQ(first.detailedStatus.scalers[0].kind, "DaemonScaler");
  EXPECT_FALSE(first.statusMessage);
  const auto& second = list->models[1];
  EXPECT_FALSE(second.deployedVersion);
  EXPECT_EQ(second.status, StatusType::Reconciling);
  EXPECT_EQ(second.detailedStatus.info.type, StatusType::Undeployed);  // wadm's default
}

TEST(WadmResponseTest, ReadsWadmsStatusAndPutReplies) {
  auto status = decode<StatusResponse>(R"({
    "result": "ok", "message": "Successfully fetched status",
    "status": {"status": {"type": "failed", "message": "upper: no hosts with zone=edge"},
               "version": "v3",
               "components": [{"name": "upper", "type": "component",
                               "status": {"type": "ready"},
                               "traits": [{"type": "spreadscaler", "status": {"type": "failed",
                                           "message": "no hosts with zone=edge"}}]}]}})");
  ASSERT_TRUE(status) << status.error().message();
  ASSERT_TRUE(status->status);
  EXPECT_EQ(status->status->info.type, StatusType::Failed);
  EXPECT_TRUE(status->status->scalers.empty());
  EXPECT_EQ(status->status->components[0].info.type, StatusType::Deployed);
  EXPECT_EQ(status->status->components[0].traits[0].info.message, "no hosts with zone=edge");

  // Fields wadm marks #[serde(default)] may be missing.
  auto put = decode<PutModelResponse>(R"({"result": "error", "message": "Manifest is invalid"})");
  ASSERT_TRUE(put) << put.error().message();
  EXPECT_EQ(*put, (PutModelResponse{.result = PutResult::Error, .message = "Manifest is invalid"}));
}

TEST(WadmResponseTest, ErrorsNameTheField) {
  EXPECT_EQ(errorOf<PutModelResponse>(R"({"message": "x"})"), "result: missing");
  EXPECT_EQ(errorOf<PutModelResponse>(R"({"result": "Created"})"),
            R"(result: expected one of created, newversion, error, got "Created")");
  EXPECT_EQ(errorOf<PutModelResponse>(R"({"result": "created", "total_versions": -1})"),
            "total_versions: expected a non-negative integer, got -1");
  EXPECT_EQ(errorOf<GetModelResponse>(R"({"result": "success", "manifest": "yaml text"})"),
            R"(manifest: expected an object, got "yaml text")");
  EXPECT_EQ(errorOf<ListModelsResponse>(
                R"({"result": "success", "models": [{"name": "a"}, {"name": "b", "detailed_status": {"status": {"type": "sad"}}}]})"),
            "models[1].detailed_status.status.type: expected one of waiting, undeployed, reconciling, "
            "deployed, failed, unhealthy, got \"sad\"");
  EXPECT_EQ(errorOf<ListModelsResponse>(R"({"result": "success", "models": [{"version": "v1"}]})"),
            "models[0].name: missing");
  EXPECT_EQ(errorOf<VersionResponse>(R"({"result": "success", "versions": [{"version": "v1", "deployed": "yes"}]})"),
            "versions[0].deployed: expected true or false, got \"yes\"");
  EXPECT_EQ(errorOf<StatusResponse>(R"({"result": "ok", "status": {"scalers": [{"id": "a"}]}})"),
            "status.status: missing");
  EXPECT_EQ(errorOf<StatusResponse>(R"({"result": "ok", "status": {"status": {"type": "deployed"}, "scalers": [{"id": "a"}]}})"),
            "status.scalers[0].status: missing");
  EXPECT_EQ(errorOf<DeployModelResponse>("[]"), "expected an object, got []");
}

}  // namespace
}  // namespace pelato::lattice
