// The wadm application API (docs/PROTOCOL.md, "wadm application API"): the subjects
// `wadm.api.<lattice>.model.…` and their request and reply bodies, with exactly the JSON field
// names of wadm 0.14+ (crate wadm-types, src/api.rs) so that `wash app` and pelato's
// orchestrator understand each other. Pure data: toJson() writes, fromJson() checks and reads.
//
// Parsing follows lattice/messages.h: unknown fields are ignored, null counts as absent, `result`
// is required (it says how to read the rest), everything else falls back to wadm's serde
// default. Errors name the field path ("models[1].detailed_status.status.type: ...").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/json_reader.h"

namespace pelato::lattice {

// --- subjects ----------------------------------------------------------------------------

// Every operation of the API. The comment is the subject after `wadm.api.<lattice>.`.
enum class WadmOperation {
  Put,       // model.put                request body: the manifest, YAML or JSON text
  Get,       // model.get.<name>         GetModelRequest or empty
  List,      // model.list               empty
  Versions,  // model.versions.<name>    empty
  Delete,    // model.del.<name>         DeleteModelRequest or empty
  Deploy,    // model.deploy.<name>      DeployModelRequest or empty
  Undeploy,  // model.undeploy.<name>    {} (reserved) or empty
  Status,    // model.status.<name>      empty
};

// "model.put", "model.get", ... (without the name).
std::string_view wadmOperationName(WadmOperation operation);
// Whether the subject ends in an application name (all but put and list).
bool wadmTakesName(WadmOperation operation);

// A received subject taken apart: the operation and the application name ("" for put, list).
struct WadmSubject {
  WadmOperation operation;
  std::string name;
  bool operator==(const WadmSubject&) const = default;
};

// The subjects of one lattice. The lattice name is taken as given (callers validate it, e.g.
// with validateLatticeName); application names are checked for every subject built, so none
// contains a stray `.` or wildcard.
class WadmSubjects {
 public:
  explicit WadmSubjects(std::string lattice) : lattice_(std::move(lattice)) {}

  const std::string& lattice() const { return lattice_; }

  std::string put() const;
  Result<std::string> get(std::string_view name) const;
  std::string list() const;
  Result<std::string> versions(std::string_view name) const;
  Result<std::string> del(std::string_view name) const;
  Result<std::string> deploy(std::string_view name) const;
  Result<std::string> undeploy(std::string_view name) const;
  Result<std::string> status(std::string_view name) const;
  // The subject of any operation; fails if a name is needed and invalid, or given and not.
  Result<std::string> of(WadmOperation operation, std::string_view name = {}) const;

  // `wadm.api.<lattice>.model.>`: every subject of the API (for the orchestrator).
  std::string all() const;

  // Takes a received subject apart. Errors say what is wrong: another lattice or API, an
  // unknown operation, a missing, invalid or extra name.
  Result<WadmSubject> parse(std::string_view subject) const;

 private:
  std::string prefix() const;  // wadm.api.<lattice>.model.

  std::string lattice_;
};

// --- status ------------------------------------------------------------------------------

// wadm's StatusType, written lowercase; "compensating" reads as Reconciling and "ready" as
// Deployed (wadm's serde aliases from before 0.14).
enum class StatusType { Waiting, Undeployed, Reconciling, Deployed, Failed, Unhealthy };

std::string_view statusTypeName(StatusType type);
Result<StatusType> parseStatusType(std::string_view text);

// wadm's `StatusType + StatusType`: the status of a whole made of two parts. The worse one wins,
// in the order failed > undeployed > waiting > reconciling > unhealthy > deployed.
StatusType combineStatus(StatusType a, StatusType b);
// All parts combined; no parts at all is Undeployed (wadm's `Sum`).
StatusType aggregateStatus(std::span<const StatusType> types);

// {"type": "deployed", "message": "..."}; the message is omitted when empty.
struct StatusInfo {
  StatusType type = StatusType::Undeployed;  // "type"
  std::string message;                       // "message"

  Json toJson() const;
  static Result<StatusInfo> fromJson(const Json& json, std::string path);
  bool operator==(const StatusInfo&) const = default;
};

// One trait of a component (wadm's TraitStatus).
struct TraitStatus {
  std::string type;  // "type": "spreadscaler", "link", ...
  StatusInfo info;   // "status"

  Json toJson() const;
  static Result<TraitStatus> fromJson(const Json& json, std::string path);
  bool operator==(const TraitStatus&) const = default;
};

// One component of an application (wadm's ComponentStatus, deprecated there since 0.14 but
// still sent).
struct ComponentStatus {
  std::string name;                 // "name"
  std::string type;                 // "type": "component" or "capability"
  StatusInfo info;                  // "status"
  std::vector<TraitStatus> traits;  // "traits": omitted when empty

  Json toJson() const;
  static Result<ComponentStatus> fromJson(const Json& json, std::string path);
  bool operator==(const ComponentStatus&) const = default;
};

// One scaler working on an application (wadm's ScalerStatus).
struct ScalerStatus {
  std::string id;    // "id": unique within the application
  std::string kind;  // "kind": "SpreadScaler", "LinkScaler", ...
  std::string name;  // "name": for people
  StatusInfo info;   // "status"

  Json toJson() const;
  static Result<ScalerStatus> fromJson(const Json& json, std::string path);
  bool operator==(const ScalerStatus&) const = default;
};

// The status of one application (wadm's Status).
struct Status {
  StatusInfo info;                          // "status": the whole application
  std::vector<ScalerStatus> scalers;        // "scalers": omitted when empty
  std::string version;                      // "version": deprecated in wadm, still sent
  std::vector<ComponentStatus> components;  // "components": deprecated in wadm, still sent

  Json toJson() const;
  static Result<Status> fromJson(const Json& json, std::string path = {});
  bool operator==(const Status&) const = default;
};

// --- requests ----------------------------------------------------------------------------

// model.get.<name>, model.del.<name> and model.deploy.<name>: {"version": ...}, `{}` when
// absent. wadm also sends an empty body: decodeWadmRequest reads that as no version.
struct VersionRequest {
  std::optional<std::string> version;  // "version"

  Json toJson() const;
  static Result<VersionRequest> fromJson(const Json& json);
  bool operator==(const VersionRequest&) const = default;

  // Deploy only: absent, "" and "latest" all mean the newest stored version.
  bool wantsLatest() const { return !version || version->empty() || *version == "latest"; }
};
using GetModelRequest = VersionRequest;
using DeleteModelRequest = VersionRequest;
using DeployModelRequest = VersionRequest;

// A request body that may be empty (wadm clients send nothing when there is nothing to say):
// empty or all-whitespace text gives T{}, anything else must be T's JSON.
template <typename T>
Result<T> decodeWadmRequest(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return T{};
  return decode<T>(text);
}

// --- responses ---------------------------------------------------------------------------

enum class PutResult { Created, NewVersion, Error };       // "created" | "newversion" | "error"
enum class GetResult { Success, NotFound, Error };         // "success" | "notfound" | "error"
enum class DeleteResult { Deleted, Noop, Error };          // "deleted" | "noop" | "error"
enum class DeployResult { Acknowledged, NotFound, Error };  // "acknowledged" | "notfound" | "error"
enum class StatusResult { Ok, NotFound, Error };           // "ok" | "notfound" | "error"

std::string_view resultName(PutResult result);
std::string_view resultName(GetResult result);
std::string_view resultName(DeleteResult result);
std::string_view resultName(DeployResult result);
std::string_view resultName(StatusResult result);

// Reply to model.put.
struct PutModelResponse {
  PutResult result = PutResult::Error;  // "result" (required)
  uint64_t totalVersions = 0;           // "total_versions": versions stored, this one included
  std::string currentVersion;           // "current_version": the version just stored
  std::string message;                  // "message"
  std::string name;                     // "name": the application's name

  Json toJson() const;
  static Result<PutModelResponse> fromJson(const Json& json);
  bool operator==(const PutModelResponse&) const = default;
};

// Reply to model.get.<name>.
struct GetModelResponse {
  GetResult result = GetResult::Error;  // "result" (required)
  std::string message;                  // "message"
  std::optional<Json> manifest;         // "manifest": the manifest as JSON, omitted when absent

  Json toJson() const;
  static Result<GetModelResponse> fromJson(const Json& json);
  bool operator==(const GetModelResponse&) const = default;
};

// One application in model.list's reply (wadm's ModelSummary).
struct ModelSummary {
  std::string name;                            // "name" (required)
  std::string version;                         // "version": the newest stored version
  std::optional<std::string> description;      // "description"
  std::optional<std::string> deployedVersion;  // "deployed_version": absent when undeployed
  Status detailedStatus;                       // "detailed_status"
  StatusType status = StatusType::Undeployed;  // "status": deprecated, = detailed_status.status.type
  std::optional<std::string> statusMessage;    // "status_message": deprecated

  Json toJson() const;
  static Result<ModelSummary> fromJson(const Json& json, std::string path);
  bool operator==(const ModelSummary&) const = default;
};

// Reply to model.list.
struct ListModelsResponse {
  GetResult result = GetResult::Error;  // "result" (required)
  std::string message;                  // "message"
  std::vector<ModelSummary> models;     // "models"

  Json toJson() const;
  static Result<ListModelsResponse> fromJson(const Json& json);
  bool operator==(const ListModelsResponse&) const = default;
};

struct VersionInfo {
  std::string version;    // "version" (required)
  bool deployed = false;  // "deployed"

  Json toJson() const;
  static Result<VersionInfo> fromJson(const Json& json, std::string path);
  bool operator==(const VersionInfo&) const = default;
};

// Reply to model.versions.<name>: oldest first.
struct VersionResponse {
  GetResult result = GetResult::Error;  // "result" (required)
  std::string message;                  // "message"
  std::vector<VersionInfo> versions;    // "versions"

  Json toJson() const;
  static Result<VersionResponse> fromJson(const Json& json);
  bool operator==(const VersionResponse&) const = default;
};

// Reply to model.del.<name>.
struct DeleteModelResponse {
  DeleteResult result = DeleteResult::Error;  // "result" (required)
  std::string message;                        // "message"
  bool undeploy = false;                      // "undeploy": the deployed version went too

  Json toJson() const;
  static Result<DeleteModelResponse> fromJson(const Json& json);
  bool operator==(const DeleteModelResponse&) const = default;
};

// Reply to model.deploy.<name> and model.undeploy.<name>.
struct DeployModelResponse {
  DeployResult result = DeployResult::Error;  // "result" (required)
  std::string message;                        // "message"
  std::string name;                           // "name"
  std::optional<std::string> version;         // "version": the version now deployed

  Json toJson() const;
  static Result<DeployModelResponse> fromJson(const Json& json);
  bool operator==(const DeployModelResponse&) const = default;
};

// Reply to model.status.<name>.
struct StatusResponse {
  StatusResult result = StatusResult::Error;  // "result" (required)
  std::string message;                        // "message"
  std::optional<Status> status;               // "status": omitted when absent

  Json toJson() const;
  static Result<StatusResponse> fromJson(const Json& json);
  bool operator==(const StatusResponse&) const = default;
};

}  // namespace pelato::lattice
