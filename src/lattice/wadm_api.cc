#include "lattice/wadm_api.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "lattice/subjects.h"

namespace pelato::lattice {
namespace {

constexpr std::string_view kApiPrefix = "wadm.api.";

struct OperationInfo {
  WadmOperation operation;
  std::string_view name;  // the subject tokens after `wadm.api.<lattice>.`
  bool takesName;
};

constexpr std::array kOperations{
    OperationInfo{WadmOperation::Put, "model.put", false},
    OperationInfo{WadmOperation::Get, "model.get", true},
    OperationInfo{WadmOperation::List, "model.list", false},
    OperationInfo{WadmOperation::Versions, "model.versions", true},
    OperationInfo{WadmOperation::Delete, "model.del", true},
    OperationInfo{WadmOperation::Deploy, "model.deploy", true},
    OperationInfo{WadmOperation::Undeploy, "model.undeploy", true},
    OperationInfo{WadmOperation::Status, "model.status", true},
};

const OperationInfo& info(WadmOperation operation) {
  for (const auto& o : kOperations)
    if (o.operation == operation) return o;
  return kOperations.front();  // unreachable: every enumerator is in the table
}

// An enumerator and its lowercase wire name.
template <typename E>
struct Named {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
std::string_view nameOf(const std::array<Named<E>, N>& table, E value) {
  for (const auto& n : table)
    if (n.value == value) return n.name;
  return table.front().name;  // unreachable: every enumerator is in its table
}

template <typename E, size_t N>
std::string namesOf(const std::array<Named<E>, N>& table) {
  std::string out;
  for (const auto& n : table) out += (out.empty() ? "" : ", ") + std::string(n.name);
  return out;
}

// Reads a required enum field such as "result".
template <typename E, size_t N>
Result<E> readEnum(const JsonObject& o, std::string_view key, const std::array<Named<E>, N>& table) {
  auto text = o.requiredString(key);
  if (!text) return fail(std::move(text.error()));
  for (const auto& n : table)
    if (n.name == *text) return n.value;
  return fail("{}: expected one of {}, got \"{}\"", o.pathOf(key), namesOf(table), *text);
}

constexpr std::array<Named<StatusType>, 6> kStatusTypes{{
    {StatusType::Waiting, "waiting"},
    {StatusType::Undeployed, "undeployed"},
    {StatusType::Reconciling, "reconciling"},
    {StatusType::Deployed, "deployed"},
    {StatusType::Failed, "failed"},
    {StatusType::Unhealthy, "unhealthy"},
}};
constexpr std::array<Named<PutResult>, 3> kPutResults{
    {{PutResult::Created, "created"}, {PutResult::NewVersion, "newversion"}, {PutResult::Error, "error"}}};
constexpr std::array<Named<GetResult>, 3> kGetResults{
    {{GetResult::Success, "success"}, {GetResult::NotFound, "notfound"}, {GetResult::Error, "error"}}};
constexpr std::array<Named<DeleteResult>, 3> kDeleteResults{
    {{DeleteResult::Deleted, "deleted"}, {DeleteResult::Noop, "noop"}, {DeleteResult::Error, "error"}}};
constexpr std::array<Named<DeployResult>, 3> kDeployResults{{{DeployResult::Acknowledged, "acknowledged"},
                                                             {DeployResult::NotFound, "notfound"},
                                                             {DeployResult::Error, "error"}}};
constexpr std::array<Named<StatusResult>, 3> kStatusResults{
    {{StatusResult::Ok, "ok"}, {StatusResult::NotFound, "notfound"}, {StatusResult::Error, "error"}}};

// Status types read like the other enums, plus wadm's pre-0.14 aliases.
Result<StatusType> readStatusType(const JsonObject& o, std::string_view key) {
  auto text = o.requiredString(key);
  if (!text) return fail(std::move(text.error()));
  auto type = parseStatusType(*text);
  if (!type) return fail("{}: {}", o.pathOf(key), type.error().message());
  return type;
}

void putOptional(Json& json, const char* key, const std::optional<std::string>& value) {
  if (value) json[key] = *value;
}

// Every element of the array `key`, read with T::fromJson(json, path).
template <typename T>
Result<std::vector<T>> readList(const JsonObject& o, std::string_view key) {
  auto objects = o.objectList(key);
  if (!objects) return fail(std::move(objects.error()));
  std::vector<T> out;
  for (const auto& object : *objects) {
    auto item = T::fromJson(object.json(), object.path());
    if (!item) return fail(std::move(item.error()));
    out.push_back(std::move(*item));
  }
  return out;
}

template <typename T>
Json listToJson(const std::vector<T>& items) {
  Json array = Json::array();
  for (const auto& item : items) array.push_back(item.toJson());
  return array;
}

// A nested StatusInfo under "status" (required: it is the point of every status object).
Result<StatusInfo> readInfo(const JsonObject& o) {
  auto object = o.requiredObject("status");
  if (!object) return fail(std::move(object.error()));
  return StatusInfo::fromJson(object->json(), object->path());
}

}  // namespace

// --- subjects ----------------------------------------------------------------------------

std::string_view wadmOperationName(WadmOperation operation) { return info(operation).name; }

bool wadmTakesName(WadmOperation operation) { return info(operation).takesName; }

std::string WadmSubjects::prefix() const { return fmt::format("{}{}.", kApiPrefix, lattice_); }

Result<std::string> WadmSubjects::of(WadmOperation operation, std::string_view name) const {
  const auto& o = info(operation);
  if (!o.takesName) {
    if (!name.empty()) return fail("{} takes no application name, got \"{}\"", o.name, name);
    return prefix() + std::string(o.name);
  }
  if (auto ok = validateToken("application name", name); !ok) return fail(std::move(ok.error()));
  return fmt::format("{}{}.{}", prefix(), o.name, name);
}

std::string WadmSubjects::put() const { return *of(WadmOperation::Put); }
Result<std::string> WadmSubjects::get(std::string_view name) const { return of(WadmOperation::Get, name); }
std::string WadmSubjects::list() const { return *of(WadmOperation::List); }
Result<std::string> WadmSubjects::versions(std::string_view name) const {
  return of(WadmOperation::Versions, name);
}
Result<std::string> WadmSubjects::del(std::string_view name) const { return of(WadmOperation::Delete, name); }
Result<std::string> WadmSubjects::deploy(std::string_view name) const {
  return of(WadmOperation::Deploy, name);
}
Result<std::string> WadmSubjects::undeploy(std::string_view name) const {
  return of(WadmOperation::Undeploy, name);
}
Result<std::string> WadmSubjects::status(std::string_view name) const {
  return of(WadmOperation::Status, name);
}

std::string WadmSubjects::all() const { return prefix() + "model.>"; }

Result<WadmSubject> WadmSubjects::parse(std::string_view subject) const {
  std::string ours = prefix();
  if (!subject.starts_with(ours))
    return fail("subject \"{}\" is not on the wadm API of lattice {} ({}model.…)", subject, lattice_, ours);
  std::string_view rest = subject.substr(ours.size());
  for (const auto& o : kOperations) {
    if (!rest.starts_with(o.name)) continue;
    std::string_view tail = rest.substr(o.name.size());
    if (!tail.empty() && tail.front() != '.') continue;  // "model.deployx" is not model.deploy
    if (!o.takesName) {
      if (!tail.empty()) return fail("{} takes no application name, got subject \"{}\"", o.name, subject);
      return WadmSubject{o.operation, {}};
    }
    if (tail.empty()) return fail("{} needs an application name: {}.<name>", o.name, o.name);
    std::string_view name = tail.substr(1);
    if (auto ok = validateToken("application name", name); !ok)
      return fail(std::move(ok.error()).context(o.name));
    return WadmSubject{o.operation, std::string(name)};
  }
  return fail("unknown wadm API operation in subject \"{}\"; known: model.put, model.get, model.list, "
              "model.versions, model.del, model.deploy, model.undeploy, model.status",
              subject);
}

// --- status ------------------------------------------------------------------------------

std::string_view statusTypeName(StatusType type) { return nameOf(kStatusTypes, type); }

Result<StatusType> parseStatusType(std::string_view text) {
  for (const auto& n : kStatusTypes)
    if (n.name == text) return n.value;
  if (text == "compensating") return StatusType::Reconciling;
  if (text == "ready") return StatusType::Deployed;
  return fail("expected one of {}, got \"{}\"", namesOf(kStatusTypes), text);
}

StatusType combineStatus(StatusType a, StatusType b) {
  // Checked in order: the first kind present in either wins (wadm's `Add for StatusType`).
  for (auto worst : {StatusType::Failed, StatusType::Undeployed, StatusType::Waiting,
                     StatusType::Reconciling, StatusType::Unhealthy})
    if (a == worst || b == worst) return worst;
  return StatusType::Deployed;
}

StatusType aggregateStatus(std::span<const StatusType> types) {
  if (types.empty()) return StatusType::Undeployed;
  StatusType total = types.front();
  for (auto type : types.subspan(1)) total = combineStatus(total, type);
  return total;
}

Json StatusInfo::toJson() const {
  Json json{{"type", statusTypeName(type)}};
  if (!message.empty()) json["message"] = message;
  return json;
}

Result<StatusInfo> StatusInfo::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  StatusInfo info;
  info.type = error.take(readStatusType(*o, "type"));
  info.message = error.take(o->string("message"));
  if (error) return fail(error.release());
  return info;
}

Json TraitStatus::toJson() const { return Json{{"type", type}, {"status", info.toJson()}}; }

Result<TraitStatus> TraitStatus::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  TraitStatus t;
  t.type = error.take(o->string("type"));
  t.info = error.take(readInfo(*o));
  if (error) return fail(error.release());
  return t;
}

Json ComponentStatus::toJson() const {
  Json json{{"name", name}, {"type", type}, {"status", info.toJson()}};
  if (!traits.empty()) json["traits"] = listToJson(traits);
  return json;
}

Result<ComponentStatus> ComponentStatus::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentStatus c;
  c.name = error.take(o->string("name"));
  c.type = error.take(o->string("type"));
  c.info = error.take(readInfo(*o));
  c.traits = error.take(readList<TraitStatus>(*o, "traits"));
  if (error) return fail(error.release());
  return c;
}

Json ScalerStatus::toJson() const {
  return Json{{"id", id}, {"kind", kind}, {"name", name}, {"status", info.toJson()}};
}

Result<ScalerStatus> ScalerStatus::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ScalerStatus s;
  s.id = error.take(o->string("id"));
  s.kind = error.take(o->string("kind"));
  s.name = error.take(o->string("name"));
  s.info = error.take(readInfo(*o));
  if (error) return fail(error.release());
  return s;
}

Json Status::toJson() const {
  Json json{{"status", info.toJson()}, {"version", version}, {"components", listToJson(components)}};
  if (!scalers.empty()) json["scalers"] = listToJson(scalers);
  return json;
}

Result<Status> Status::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  Status s;
  s.info = error.take(readInfo(*o));
  s.scalers = error.take(readList<ScalerStatus>(*o, "scalers"));
  s.version = error.take(o->string("version"));
  s.components = error.take(readList<ComponentStatus>(*o, "components"));
  if (error) return fail(error.release());
  return s;
}

// --- requests ----------------------------------------------------------------------------

Json VersionRequest::toJson() const {
  Json json = Json::object();
  putOptional(json, "version", version);
  return json;
}

Result<VersionRequest> VersionRequest::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  auto version = o->optionalString("version");
  if (!version) return fail(std::move(version.error()));
  return VersionRequest{std::move(*version)};
}

// --- responses ---------------------------------------------------------------------------

std::string_view resultName(PutResult result) { return nameOf(kPutResults, result); }
std::string_view resultName(GetResult result) { return nameOf(kGetResults, result); }
std::string_view resultName(DeleteResult result) { return nameOf(kDeleteResults, result); }
std::string_view resultName(DeployResult result) { return nameOf(kDeployResults, result); }
std::string_view resultName(StatusResult result) { return nameOf(kStatusResults, result); }

Json PutModelResponse::toJson() const {
  return Json{{"result", resultName(result)},
              {"total_versions", totalVersions},
              {"current_version", currentVersion},
              {"message", message},
              {"name", name}};
}

Result<PutModelResponse> PutModelResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  PutModelResponse r;
  r.result = error.take(readEnum(*o, "result", kPutResults));
  r.totalVersions = error.take(o->unsignedOr("total_versions", 0));
  r.currentVersion = error.take(o->string("current_version"));
  r.message = error.take(o->string("message"));
  r.name = error.take(o->string("name"));
  if (error) return fail(error.release());
  return r;
}

Json GetModelResponse::toJson() const {
  Json json{{"result", resultName(result)}, {"message", message}};
  if (manifest) json["manifest"] = *manifest;
  return json;
}

Result<GetModelResponse> GetModelResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  GetModelResponse r;
  r.result = error.take(readEnum(*o, "result", kGetResults));
  r.message = error.take(o->string("message"));
  if (const Json* manifest = o->find("manifest")) {
    if (!manifest->is_object())
      error.record(Error(fmt::format("manifest: expected an object, got {}", describeJson(*manifest))));
    else
      r.manifest = *manifest;
  }
  if (error) return fail(error.release());
  return r;
}

Json ModelSummary::toJson() const {
  Json json{{"name", name},
            {"version", version},
            {"description", description ? Json(*description) : Json(nullptr)},
            {"deployed_version", deployedVersion ? Json(*deployedVersion) : Json(nullptr)},
            {"detailed_status", detailedStatus.toJson()},
            {"status", statusTypeName(status)},
            {"status_message", statusMessage ? Json(*statusMessage) : Json(nullptr)}};
  return json;
}

Result<ModelSummary> ModelSummary::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ModelSummary m;
  m.name = error.take(o->requiredString("name"));
  m.version = error.take(o->string("version"));
  m.description = error.take(o->optionalString("description"));
  m.deployedVersion = error.take(o->optionalString("deployed_version"));
  if (const Json* detailed = o->find("detailed_status"))
    m.detailedStatus = error.take(Status::fromJson(*detailed, o->pathOf("detailed_status")));
  // The deprecated summary follows the detailed status when a newer wadm leaves it out.
  m.status = o->has("status") ? error.take(readStatusType(*o, "status")) : m.detailedStatus.info.type;
  m.statusMessage = error.take(o->optionalString("status_message"));
  if (error) return fail(error.release());
  return m;
}

Json ListModelsResponse::toJson() const {
  return Json{{"result", resultName(result)}, {"message", message}, {"models", listToJson(models)}};
}

Result<ListModelsResponse> ListModelsResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ListModelsResponse r;
  r.result = error.take(readEnum(*o, "result", kGetResults));
  r.message = error.take(o->string("message"));
  r.models = error.take(readList<ModelSummary>(*o, "models"));
  if (error) return fail(error.release());
  return r;
}

Json VersionInfo::toJson() const { return Json{{"version", version}, {"deployed", deployed}}; }

Result<VersionInfo> VersionInfo::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  VersionInfo v;
  v.version = error.take(o->requiredString("version"));
  v.deployed = error.take(o->boolOr("deployed", false));
  if (error) return fail(error.release());
  return v;
}

Json VersionResponse::toJson() const {
  return Json{{"result", resultName(result)}, {"message", message}, {"versions", listToJson(versions)}};
}

Result<VersionResponse> VersionResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  VersionResponse r;
  r.result = error.take(readEnum(*o, "result", kGetResults));
  r.message = error.take(o->string("message"));
  r.versions = error.take(readList<VersionInfo>(*o, "versions"));
  if (error) return fail(error.release());
  return r;
}

Json DeleteModelResponse::toJson() const {
  return Json{{"result", resultName(result)}, {"message", message}, {"undeploy", undeploy}};
}

Result<DeleteModelResponse> DeleteModelResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  DeleteModelResponse r;
  r.result = error.take(readEnum(*o, "result", kDeleteResults));
  r.message = error.take(o->string("message"));
  r.undeploy = error.take(o->boolOr("undeploy", false));
  if (error) return fail(error.release());
  return r;
}

Json DeployModelResponse::toJson() const {
  Json json{{"result", resultName(result)}, {"message", message}, {"name", name}};
  putOptional(json, "version", version);
  return json;
}

Result<DeployModelResponse> DeployModelResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  DeployModelResponse r;
  r.result = error.take(readEnum(*o, "result", kDeployResults));
  r.message = error.take(o->string("message"));
  r.name = error.take(o->string("name"));
  r.version = error.take(o->optionalString("version"));
  if (error) return fail(error.release());
  return r;
}

Json StatusResponse::toJson() const {
  Json json{{"result", resultName(result)}, {"message", message}};
  if (status) json["status"] = status->toJson();
  return json;
}

Result<StatusResponse> StatusResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  StatusResponse r;
  r.result = error.take(readEnum(*o, "result", kStatusResults));
  r.message = error.take(o->string("message"));
  if (const Json* status = o->find("status")) r.status = error.take(Status::fromJson(*status, "status"));
  if (error) return fail(error.release());
  return r;
}

}  // namespace pelato::lattice
