#include "lattice/migrate_api.h"

#include <fmt/format.h>

namespace pelato::lattice {

std::string migrateSubject(std::string_view lattice) { return fmt::format("pelato.api.{}.component.migrate", lattice); }

Json MigrateRequest::toJson() const {
  Json json{{"component_id", componentId}, {"to_host", toHost}};
  if (fromHost) json["from_host"] = *fromHost;
  return json;
}

Result<MigrateRequest> MigrateRequest::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("migrate request"));
  FirstError error;
  MigrateRequest request;
  request.componentId = error.take(o->requiredString("component_id"));
  request.toHost = error.take(o->requiredString("to_host"));
  request.fromHost = error.take(o->optionalString("from_host"));
  if (error) return fail(error.release().context("migrate request"));
  return request;
}

Json MigrateResponse::toJson() const {
  return Json{{"result", result}, {"message", message}, {"app", app}, {"from_host", fromHost}};
}

Result<MigrateResponse> MigrateResponse::fromJson(const Json& json) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context("migrate reply"));
  FirstError error;
  MigrateResponse response;
  response.result = error.take(o->requiredString("result"));
  response.message = error.take(o->string("message"));
  response.app = error.take(o->string("app"));
  response.fromHost = error.take(o->string("from_host"));
  if (error) return fail(error.release().context("migrate reply"));
  return response;
}

}  // namespace pelato::lattice
