#include "lattice/events.h"

#include <fmt/format.h>
#include <time.h>

#include <limits>
#include <random>

namespace pelato::lattice {
namespace {

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();

Result<JsonObject> objectOf(const Json& json, std::string_view what) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context(what));
  return o;
}

}  // namespace

// --- envelope ------------------------------------------------------------------------------

std::string_view CloudEvent::latticeType() const {
  std::string_view t = type;
  if (!t.starts_with(kLatticeEventPrefix)) return {};
  return t.substr(kLatticeEventPrefix.size());
}

Json CloudEvent::toJson() const {
  return Json{{"specversion", specversion},
              {"id", id},
              {"source", source},
              {"type", type},
              {"time", time},
              {"datacontenttype", datacontenttype},
              {"data", data}};
}

Result<CloudEvent> CloudEvent::fromJson(const Json& json) {
  auto o = objectOf(json, "cloud event");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  CloudEvent event;
  event.specversion = error.take(o->requiredString("specversion"));
  event.id = error.take(o->requiredString("id"));
  event.source = error.take(o->requiredString("source"));
  event.type = error.take(o->requiredString("type"));
  event.time = error.take(o->string("time"));
  event.datacontenttype = error.take(o->string("datacontenttype", "application/json"));
  if (const Json* data = o->find("data")) event.data = *data;
  if (error) return fail(error.release().context("cloud event"));
  if (event.specversion != "1.0")
    return fail("cloud event: specversion: \"{}\" is not supported (only CloudEvents \"1.0\")",
                event.specversion);
  return event;
}

CloudEvent makeLatticeEvent(std::string_view type, std::string source, Json data, std::string id,
                            std::chrono::system_clock::time_point time) {
  CloudEvent event;
  event.id = std::move(id);
  event.source = std::move(source);
  event.type = fmt::format("{}{}", kLatticeEventPrefix, type);
  event.time = formatEventTime(time);
  event.data = std::move(data);
  return event;
}

std::string formatEventTime(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto micros = duration_cast<microseconds>(time.time_since_epoch()).count();
  auto seconds = micros / 1'000'000;
  auto fraction = micros % 1'000'000;
  if (fraction < 0) {  // before 1970: floor, not truncate
    fraction += 1'000'000;
    seconds -= 1;
  }
  time_t t = static_cast<time_t>(seconds);
  struct tm utc {};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, fraction);
}

std::string newEventId() {
  std::random_device device;  // /dev/urandom on Linux
  std::uniform_int_distribution<uint32_t> byte(0, 255);
  uint8_t b[16];
  for (auto& x : b) x = static_cast<uint8_t>(byte(device));
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-"
      "{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

// --- heartbeat -----------------------------------------------------------------------------

Json HostLoad::toJson() const {
  return Json{{"cpu", cpu},
              {"queue_depth", queueDepth},
              {"calls_per_s", callsPerSecond},
              {"errors", errors}};
}

Result<HostLoad> HostLoad::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  HostLoad load;
  load.cpu = error.take(o->nonNegativeNumberOr("cpu", 0));
  load.queueDepth = error.take(o->unsignedOr("queue_depth", 0));
  load.callsPerSecond = error.take(o->nonNegativeNumberOr("calls_per_s", 0));
  load.errors = error.take(o->unsignedOr("errors", 0));
  if (error) return fail(error.release());
  return load;
}

Json HostHeartbeat::toJson() const {
  Json json = inventory.toJson();
  if (load) json["load"] = load->toJson();
  return json;
}

Result<HostHeartbeat> HostHeartbeat::fromJson(const Json& json) {
  auto inventory = HostInventory::fromJson(json);
  if (!inventory) return fail(std::move(inventory.error()).context("host heartbeat"));
  HostHeartbeat heartbeat{std::move(*inventory), std::nullopt};
  if (auto it = json.find("load"); it != json.end() && !it->is_null()) {
    auto load = HostLoad::fromJson(*it, "load");
    if (!load) return fail(std::move(load.error()).context("host heartbeat"));
    heartbeat.load = *load;
  }
  return heartbeat;
}

// --- host lifecycle ------------------------------------------------------------------------

Json HostStarted::toJson() const {
  return Json{{"host_id", hostId}, {"id", hostId},       {"friendly_name", friendlyName},
              {"labels", labels},  {"version", version}, {"uptime_seconds", uptimeSeconds}};
}

Result<HostStarted> HostStarted::fromJson(const Json& json) {
  auto o = objectOf(json, "host_started");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  HostStarted started;
  started.hostId =
      error.take(o->requiredString(o->has("host_id") || !o->has("id") ? "host_id" : "id"));
  started.friendlyName = error.take(o->string("friendly_name"));
  started.labels = error.take(o->stringMap("labels"));
  started.version = error.take(o->string("version"));
  started.uptimeSeconds = error.take(o->unsignedOr("uptime_seconds", 0));
  if (error) return fail(error.release().context("host_started"));
  return started;
}

Json HostStopped::toJson() const {
  return Json{{"host_id", hostId}, {"labels", labels}, {"reason", reason}};
}

Result<HostStopped> HostStopped::fromJson(const Json& json) {
  auto o = objectOf(json, "host_stopped");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  HostStopped stopped;
  stopped.hostId = error.take(o->string("host_id"));
  stopped.labels = error.take(o->stringMap("labels"));
  stopped.reason = error.take(o->string("reason"));
  if (error) return fail(error.release().context("host_stopped"));
  return stopped;
}

Json LabelsChanged::toJson() const { return Json{{"host_id", hostId}, {"labels", labels}}; }

Result<LabelsChanged> LabelsChanged::fromJson(const Json& json) {
  auto o = objectOf(json, "labels_changed");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  LabelsChanged changed;
  changed.hostId = error.take(o->requiredString("host_id"));
  changed.labels = error.take(o->stringMap("labels"));
  if (error) return fail(error.release().context("labels_changed"));
  return changed;
}

// --- components ----------------------------------------------------------------------------

Json ComponentScaled::toJson() const {
  Json json{{"host_id", hostId},
            {"component_id", componentId},
            {"image_ref", imageRef},
            {"max_instances", maxInstances},
            {"annotations", annotations}};
  if (publicKey) json["public_key"] = *publicKey;
  if (claims) json["claims"] = *claims;
  return json;
}

Result<ComponentScaled> ComponentScaled::fromJson(const Json& json) {
  auto o = objectOf(json, "component_scaled");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentScaled scaled;
  scaled.hostId = error.take(o->requiredString("host_id"));
  scaled.componentId = error.take(o->requiredString("component_id"));
  scaled.imageRef = error.take(o->string("image_ref"));
  scaled.maxInstances =
      static_cast<uint32_t>(error.take(o->unsignedOr("max_instances", 0, kMaxU32)));
  scaled.annotations = error.take(o->stringMap("annotations"));
  scaled.publicKey = error.take(o->optionalString("public_key"));
  if (auto claims = o->optionalObject("claims"); !claims) {
    error.record(std::move(claims.error()));
  } else if (*claims) {
    scaled.claims = (*claims)->json();
  }
  if (error) return fail(error.release().context("component_scaled"));
  return scaled;
}

Json ComponentScaleFailed::toJson() const {
  Json json{{"host_id", hostId},          {"component_id", componentId},
            {"image_ref", imageRef},      {"max_instances", maxInstances},
            {"annotations", annotations}, {"error", error}};
  if (publicKey) json["public_key"] = *publicKey;
  return json;
}

Result<ComponentScaleFailed> ComponentScaleFailed::fromJson(const Json& json) {
  auto o = objectOf(json, "component_scale_failed");
  if (!o) return fail(std::move(o.error()));
  FirstError first;
  ComponentScaleFailed failed;
  failed.hostId = first.take(o->requiredString("host_id"));
  failed.componentId = first.take(o->requiredString("component_id"));
  failed.imageRef = first.take(o->string("image_ref"));
  failed.maxInstances =
      static_cast<uint32_t>(first.take(o->unsignedOr("max_instances", 0, kMaxU32)));
  failed.annotations = first.take(o->stringMap("annotations"));
  failed.publicKey = first.take(o->optionalString("public_key"));
  failed.error = first.take(o->requiredString("error"));
  if (first) return fail(first.release().context("component_scale_failed"));
  return failed;
}

Json ComponentSuspended::toJson() const {
  return {{"host_id", hostId}, {"component_id", componentId}, {"image_ref", imageRef}, {"reason", reason}};
}

Result<ComponentSuspended> ComponentSuspended::fromJson(const Json& json) {
  auto o = objectOf(json, "component_suspended");
  if (!o) return fail(std::move(o.error()));
  FirstError first;
  ComponentSuspended suspended;
  suspended.hostId = first.take(o->requiredString("host_id"));
  suspended.componentId = first.take(o->requiredString("component_id"));
  suspended.imageRef = first.take(o->string("image_ref"));
  suspended.reason = first.take(o->requiredString("reason"));
  if (first) return fail(first.release().context("component_suspended"));
  return suspended;
}

// --- links ---------------------------------------------------------------------------------

Json LinkdefDeleted::toJson() const {
  Json json{{"source_id", sourceId},
            {"name", name},
            {"wit_namespace", witNamespace},
            {"wit_package", witPackage}};
  if (target) json["target"] = *target;
  if (interfaces) json["interfaces"] = *interfaces;
  return json;
}

Result<LinkdefDeleted> LinkdefDeleted::fromJson(const Json& json) {
  auto o = objectOf(json, "linkdef_deleted");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  LinkdefDeleted deleted;
  deleted.sourceId = error.take(o->requiredString("source_id"));
  deleted.name = error.take(o->string("name", "default"));
  deleted.witNamespace = error.take(o->requiredString("wit_namespace"));
  deleted.witPackage = error.take(o->requiredString("wit_package"));
  deleted.target = error.take(o->optionalString("target"));
  deleted.interfaces = error.take(o->optionalStringList("interfaces"));
  if (error) return fail(error.release().context("linkdef_deleted"));
  return deleted;
}

}  // namespace pelato::lattice
