#include "lattice/messages.h"

#include <limits>

namespace pelato::lattice {
namespace {

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();

void putOptional(Json& json, const char* key, const std::optional<std::string>& value) {
  if (value) json[key] = *value;
}

void putOptional(Json& json, const char* key, const std::optional<StringMap>& value) {
  if (value) json[key] = *value;
}

Result<JsonObject> objectOf(const Json& json, std::string_view what) {
  auto o = JsonObject::of(json);
  if (!o) return fail(std::move(o.error()).context(what));
  return o;
}

}  // namespace

// --- CtlReply ------------------------------------------------------------------------------

Json CtlReply::toJson() const {
  Json json{{"success", success}, {"message", message}};
  if (response) json["response"] = *response;
  return json;
}

Result<CtlReply> CtlReply::fromJson(const Json& json) {
  auto o = objectOf(json, "control reply");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  CtlReply reply;
  if (!o->has("success")) return fail("control reply: success: missing");
  reply.success = error.take(o->boolOr("success", false));
  reply.message = error.take(o->string("message"));
  if (reply.message.empty()) reply.message = error.take(o->string("error"));
  if (const Json* response = o->find("response")) reply.response = *response;
  if (error) return fail(error.release().context("control reply"));
  return reply;
}

// --- Host ----------------------------------------------------------------------------------

Json Host::toJson() const {
  Json json{{"id", id},
            {"friendly_name", friendlyName},
            {"labels", labels},
            {"lattice", lattice},
            {"uptime_seconds", uptimeSeconds}};
  putOptional(json, "uptime_human", uptimeHuman);
  putOptional(json, "version", version);
  putOptional(json, "rpc_host", rpcHost);
  putOptional(json, "ctl_host", ctlHost);
  putOptional(json, "js_domain", jsDomain);
  return json;
}

Result<Host> Host::fromJson(const Json& json) {
  auto o = objectOf(json, "host");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  Host host;
  host.id = error.take(o->requiredString("id"));
  host.friendlyName = error.take(o->string("friendly_name"));
  host.labels = error.take(o->stringMap("labels"));
  host.lattice = error.take(o->string("lattice"));
  if (host.lattice.empty())
    host.lattice = error.take(o->string("lattice_prefix"));  // pre-1.0 hosts
  host.uptimeSeconds = error.take(o->unsignedOr("uptime_seconds", 0));
  host.uptimeHuman = error.take(o->optionalString("uptime_human"));
  host.version = error.take(o->optionalString("version"));
  host.rpcHost = error.take(o->optionalString("rpc_host"));
  host.ctlHost = error.take(o->optionalString("ctl_host"));
  host.jsDomain = error.take(o->optionalString("js_domain"));
  if (error) return fail(error.release().context("host"));
  return host;
}

// --- inventory -----------------------------------------------------------------------------

Json ComponentLoad::toJson() const {
  return Json{{"queue_depth", queueDepth}, {"calls_per_s", callsPerSecond}, {"errors", errors}};
}

Result<ComponentLoad> ComponentLoad::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentLoad load;
  load.queueDepth = error.take(o->unsignedOr("queue_depth", 0));
  load.callsPerSecond = error.take(o->nonNegativeNumberOr("calls_per_s", 0));
  load.errors = error.take(o->unsignedOr("errors", 0));
  if (error) return fail(error.release());
  return load;
}

Json ComponentDescription::toJson() const {
  Json json{
      {"id", id}, {"image_ref", imageRef}, {"revision", revision}, {"max_instances", maxInstances}};
  putOptional(json, "name", name);
  putOptional(json, "annotations", annotations);
  if (load) json["load"] = load->toJson();
  return json;
}

Result<ComponentDescription> ComponentDescription::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentDescription c;
  c.id = error.take(o->requiredString("id"));
  c.imageRef = error.take(o->string("image_ref"));
  c.name = error.take(o->optionalString("name"));
  c.annotations = error.take(o->optionalStringMap("annotations"));
  c.revision = error.take(o->integerOr("revision", 0));
  c.maxInstances = static_cast<uint32_t>(error.take(o->unsignedOr("max_instances", 0, kMaxU32)));
  if (const Json* load = o->find("load"))
    c.load = error.take(ComponentLoad::fromJson(*load, o->pathOf("load")));
  if (error) return fail(error.release());
  return c;
}

Json ProviderDescription::toJson() const {
  Json json{{"id", id}, {"revision", revision}};
  putOptional(json, "image_ref", imageRef);
  putOptional(json, "name", name);
  putOptional(json, "annotations", annotations);
  return json;
}

Result<ProviderDescription> ProviderDescription::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ProviderDescription p;
  p.id = error.take(o->requiredString("id"));
  p.imageRef = error.take(o->optionalString("image_ref"));
  p.name = error.take(o->optionalString("name"));
  p.revision = error.take(o->integerOr("revision", 0));
  p.annotations = error.take(o->optionalStringMap("annotations"));
  if (error) return fail(error.release());
  return p;
}

Json HostInventory::toJson() const {
  Json componentList = Json::array();
  for (const auto& c : components) componentList.push_back(c.toJson());
  Json providerList = Json::array();
  for (const auto& p : providers) providerList.push_back(p.toJson());
  return Json{{"components", std::move(componentList)},
              {"providers", std::move(providerList)},
              {"host_id", hostId},
              {"friendly_name", friendlyName},
              {"labels", labels},
              {"version", version},
              {"uptime_human", uptimeHuman},
              {"uptime_seconds", uptimeSeconds}};
}

Result<HostInventory> HostInventory::fromJson(const Json& json) {
  auto o = objectOf(json, "host inventory");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  HostInventory inv;
  inv.hostId = error.take(o->requiredString("host_id"));
  inv.friendlyName = error.take(o->string("friendly_name"));
  inv.labels = error.take(o->stringMap("labels"));
  inv.version = error.take(o->string("version"));
  inv.uptimeSeconds = error.take(o->unsignedOr("uptime_seconds", 0));
  inv.uptimeHuman = error.take(o->string("uptime_human"));
  if (error) return fail(error.release().context("host inventory"));
  auto components = o->objectList(o->has("components") ? "components" : "actors");
  if (!components) return fail(std::move(components.error()).context("host inventory"));
  for (const auto& c : *components) {
    auto component = ComponentDescription::fromJson(c.json(), c.path());
    if (!component) return fail(std::move(component.error()).context("host inventory"));
    inv.components.push_back(std::move(*component));
  }
  auto providers = o->objectList("providers");
  if (!providers) return fail(std::move(providers.error()).context("host inventory"));
  for (const auto& p : *providers) {
    auto provider = ProviderDescription::fromJson(p.json(), p.path());
    if (!provider) return fail(std::move(provider.error()).context("host inventory"));
    inv.providers.push_back(std::move(*provider));
  }
  return inv;
}

// --- commands ------------------------------------------------------------------------------

Json ScaleComponentCommand::toJson() const {
  Json json{{"component_ref", componentRef},
            {"component_id", componentId},
            {"count", maxInstances},
            {"host_id", hostId},
            {"config", config},
            {"allow_update", allowUpdate}};
  putOptional(json, "annotations", annotations);
  return json;
}

Result<ScaleComponentCommand> ScaleComponentCommand::fromJson(const Json& json) {
  auto o = objectOf(json, "component scale command");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ScaleComponentCommand cmd;
  cmd.componentRef = error.take(o->requiredString("component_ref"));
  cmd.componentId = error.take(o->requiredString("component_id"));
  cmd.hostId = error.take(o->string("host_id"));
  if (o->has("count")) {
    cmd.maxInstances = static_cast<uint32_t>(error.take(o->requiredUnsigned("count", kMaxU32)));
  } else if (o->has("max_instances")) {
    cmd.maxInstances =
        static_cast<uint32_t>(error.take(o->requiredUnsigned("max_instances", kMaxU32)));
  } else {
    error.record(Error(
        "max_instances: missing (send \"count\" or \"max_instances\"; 0 stops the component)"));
  }
  cmd.annotations = error.take(o->optionalStringMap("annotations"));
  cmd.config = error.take(o->stringList("config"));
  cmd.allowUpdate = error.take(o->boolOr("allow_update", false));
  if (error) return fail(error.release().context("component scale command"));
  return cmd;
}

Json UpdateComponentCommand::toJson() const {
  Json json{
      {"component_id", componentId}, {"new_component_ref", newComponentRef}, {"host_id", hostId}};
  putOptional(json, "annotations", annotations);
  return json;
}

Result<UpdateComponentCommand> UpdateComponentCommand::fromJson(const Json& json) {
  auto o = objectOf(json, "component update command");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  UpdateComponentCommand cmd;
  cmd.componentId = error.take(o->requiredString("component_id"));
  cmd.newComponentRef = error.take(o->requiredString("new_component_ref"));
  cmd.hostId = error.take(o->string("host_id"));
  cmd.annotations = error.take(o->optionalStringMap("annotations"));
  if (error) return fail(error.release().context("component update command"));
  return cmd;
}

Json StopHostCommand::toJson() const {
  Json json{{"host_id", hostId}};
  if (timeout) json["timeout"] = *timeout;
  return json;
}

Result<StopHostCommand> StopHostCommand::fromJson(const Json& json) {
  // wasmCloud's own tools may send an empty body; treat it as {}.
  if (json.is_null()) return StopHostCommand{};
  auto o = objectOf(json, "host stop command");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  StopHostCommand cmd;
  cmd.hostId = error.take(o->string("host_id"));
  cmd.timeout = error.take(o->optionalUnsigned("timeout"));
  if (error) return fail(error.release().context("host stop command"));
  return cmd;
}

Json HostLabel::toJson() const { return Json{{"key", key}, {"value", value}}; }

Result<HostLabel> HostLabel::fromJson(const Json& json) {
  auto o = objectOf(json, "label put");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  HostLabel label;
  label.key = error.take(o->requiredString("key"));
  label.value = error.take(o->requiredString("value"));
  if (error) return fail(error.release().context("label put"));
  return label;
}

Json HostLabelKey::toJson() const { return Json{{"key", key}}; }

Result<HostLabelKey> HostLabelKey::fromJson(const Json& json) {
  auto o = objectOf(json, "label del");
  if (!o) return fail(std::move(o.error()));
  auto key = o->requiredString("key");
  if (!key) return fail(std::move(key.error()).context("label del"));
  return HostLabelKey{std::move(*key)};
}

// --- links ---------------------------------------------------------------------------------

Json Link::toJson() const {
  return Json{{"source_id", sourceId},
              {"target", target},
              {"name", name},
              {"wit_namespace", witNamespace},
              {"wit_package", witPackage},
              {"interfaces", interfaces},
              {"source_config", sourceConfig},
              {"target_config", targetConfig}};
}

Result<Link> Link::fromJson(const Json& json) {
  auto o = objectOf(json, "link");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  Link link;
  link.sourceId = error.take(o->requiredString("source_id"));
  link.target = error.take(o->requiredString("target"));
  link.name = error.take(o->string("name", "default"));
  link.witNamespace = error.take(o->requiredString("wit_namespace"));
  link.witPackage = error.take(o->requiredString("wit_package"));
  link.interfaces = error.take(o->requiredStringList("interfaces"));
  link.sourceConfig = error.take(o->stringList("source_config"));
  link.targetConfig = error.take(o->stringList("target_config"));
  if (error) return fail(error.release().context("link"));
  return link;
}

Json LinkDeleteRequest::toJson() const {
  return Json{{"source_id", sourceId},
              {"name", name},
              {"wit_namespace", witNamespace},
              {"wit_package", witPackage}};
}

Result<LinkDeleteRequest> LinkDeleteRequest::fromJson(const Json& json) {
  auto o = objectOf(json, "link delete request");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  LinkDeleteRequest req;
  req.sourceId = error.take(o->requiredString("source_id"));
  req.name = error.take(o->string("name", "default"));
  req.witNamespace = error.take(o->requiredString("wit_namespace"));
  req.witPackage = error.take(o->requiredString("wit_package"));
  if (error) return fail(error.release().context("link delete request"));
  return req;
}

// --- auctions ------------------------------------------------------------------------------

Json ComponentAuctionRequest::toJson() const {
  return Json{{"component_ref", componentRef},
              {"component_id", componentId},
              {"constraints", constraints},
              {"max_memory", maxMemory},
              {"max_instances", maxInstances}};
}

Result<ComponentAuctionRequest> ComponentAuctionRequest::fromJson(const Json& json) {
  auto o = objectOf(json, "component auction request");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentAuctionRequest req;
  req.componentRef = error.take(o->requiredString("component_ref"));
  req.componentId = error.take(o->requiredString("component_id"));
  req.constraints = error.take(o->stringMap("constraints"));
  req.maxMemory = error.take(o->unsignedOr("max_memory", 0));
  req.maxInstances = static_cast<uint32_t>(error.take(o->unsignedOr("max_instances", 1, kMaxU32)));
  if (error) return fail(error.release().context("component auction request"));
  return req;
}

Json ComponentAuctionAck::toJson() const {
  return Json{{"component_ref", componentRef},
              {"component_id", componentId},
              {"host_id", hostId},
              {"constraints", constraints},
              {"max_memory", maxMemory},
              {"max_instances", maxInstances}};
}

Result<ComponentAuctionAck> ComponentAuctionAck::fromJson(const Json& json) {
  auto o = objectOf(json, "component auction ack");
  if (!o) return fail(std::move(o.error()));
  FirstError error;
  ComponentAuctionAck ack;
  ack.componentRef = error.take(o->string("component_ref"));
  ack.componentId = error.take(o->string("component_id"));
  ack.hostId = error.take(o->requiredString("host_id"));
  ack.constraints = error.take(o->stringMap("constraints"));
  ack.maxMemory = error.take(o->unsignedOr("max_memory", 0));
  ack.maxInstances = static_cast<uint32_t>(error.take(o->unsignedOr("max_instances", 0, kMaxU32)));
  if (error) return fail(error.release().context("component auction ack"));
  return ack;
}

// --- config --------------------------------------------------------------------------------

Result<StringMap> parseConfigValues(const Json& json) {
  if (!json.is_object())
    return fail("config values: expected an object of strings, got {}", describeJson(json));
  StringMap values;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string())
      return fail("config values: {}: expected a string, got {}", key, describeJson(value));
    values.emplace(key, value.get<std::string>());
  }
  return values;
}

Json configValuesToJson(const StringMap& values) { return Json(values); }

Json RegistryCredential::toJson() const {
  Json json{{"registry_type", registryType}};
  if (username) json["username"] = *username;
  if (password) json["password"] = *password;
  if (token) json["token"] = *token;
  return json;
}

Result<RegistryCredential> RegistryCredential::fromJson(const Json& json, std::string path) {
  auto o = JsonObject::of(json, std::move(path));
  if (!o) return fail(std::move(o.error()));
  FirstError first;
  RegistryCredential credential;
  credential.username = first.take(o->optionalString("username"));
  credential.password = first.take(o->optionalString("password"));
  credential.token = first.take(o->optionalString("token"));
  credential.registryType = first.take(o->string("registry_type", "oci"));
  if (first) return fail(first.release());
  if (credential.registryType != "oci")
    return fail("{}: registry_type \"{}\" is not supported (only \"oci\")", o->pathOf("registry_type"),
                credential.registryType);
  return credential;
}

Result<RegistryCredentials> parseRegistryCredentials(const Json& json) {
  if (!json.is_object())
    return fail("registry credentials: expected an object (registry → credentials), got {}", describeJson(json));
  RegistryCredentials credentials;
  for (const auto& [registry, value] : json.items()) {
    auto credential = RegistryCredential::fromJson(value, registry);
    if (!credential) return fail(std::move(credential.error()).context("registry credentials"));
    credentials.emplace(registry, std::move(*credential));
  }
  return credentials;
}

}  // namespace pelato::lattice
