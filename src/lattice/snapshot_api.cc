#include "lattice/snapshot_api.h"

namespace pelato::lattice {

bool isStateful(const std::optional<StringMap>& annotations) {
  if (!annotations) return false;
  auto it = annotations->find(std::string(kStatefulAnnotation));
  return it != annotations->end() && it->second == "true";
}

Json SnapshotRequest::toJson() const { return Json{{"component_id", componentId}, {"stop", stop}}; }

Result<SnapshotRequest> SnapshotRequest::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("snapshot request"));
  FirstError error;
  SnapshotRequest request;
  request.componentId = error.take(o->requiredString("component_id"));
  request.stop = error.take(o->boolOr("stop", false));
  if (error) return fail(error.release().context("snapshot request"));
  return request;
}

Json SnapshotInfo::toJson() const {
  return Json{{"component_id", componentId}, {"component_ref", componentRef}, {"generation", generation},
              {"bytes", bytes}, {"sha256", sha256}, {"took_ms", tookMs}};
}

Result<SnapshotInfo> SnapshotInfo::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("snapshot info"));
  FirstError error;
  SnapshotInfo info;
  info.componentId = error.take(o->requiredString("component_id"));
  info.componentRef = error.take(o->string("component_ref"));
  info.generation = error.take(o->unsignedOr("generation", 0));
  info.bytes = error.take(o->unsignedOr("bytes", 0));
  info.sha256 = error.take(o->string("sha256"));
  info.tookMs = error.take(o->unsignedOr("took_ms", 0));
  if (error) return fail(error.release().context("snapshot info"));
  return info;
}

Json RestoreRequest::toJson() const {
  Json json{{"component_ref", componentRef}, {"component_id", componentId}};
  if (annotations) json["annotations"] = *annotations;
  return json;
}

Result<RestoreRequest> RestoreRequest::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("restore request"));
  FirstError error;
  RestoreRequest request;
  request.componentRef = error.take(o->requiredString("component_ref"));
  request.componentId = error.take(o->requiredString("component_id"));
  request.annotations = error.take(o->optionalStringMap("annotations"));
  if (error) return fail(error.release().context("restore request"));
  return request;
}

}  // namespace pelato::lattice
