#include "lattice/messages.h"

#include <gtest/gtest.h>

namespace pelato::lattice {
namespace {

constexpr std::string_view kHost = "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

template <typename T>
T roundTrip(const T& value) {
  auto back = decode<T>(encode(value));
  EXPECT_TRUE(back) << back.error().message();
  return back ? *back : T{};
}

template <typename T>
std::string errorOf(std::string_view text) {
  auto r = decode<T>(text);
  EXPECT_FALSE(r) << "parsed: " << text;
  return r ? std::string() : r.error().message();
}

// --- round trips ---------------------------------------------------------------------------

TEST(Messages, CtlReplyRoundTrip) {
  EXPECT_EQ(roundTrip(CtlReply::ok(Json{{"a", 1}})), CtlReply::ok(Json{{"a", 1}}));
  EXPECT_EQ(roundTrip(CtlReply::error("component x not found")),
            CtlReply::error("component x not found"));
  EXPECT_EQ(roundTrip(CtlReply::done("scaling")), CtlReply::done("scaling"));
  // No payload: "response" is left out, as wasmCloud does (skip_serializing_if none).
  EXPECT_EQ(encode(CtlReply::done()), R"({"message":"","success":true})");
}

TEST(Messages, HostRoundTrip) {
  Host h{.id = std::string(kHost),
         .friendlyName = "red-dolphin",
         .labels = {{"zone", "edge"}},
         .lattice = "default",
         .uptimeSeconds = 62,
         .uptimeHuman = "1m 2s",
         .version = "0.1.0",
         .rpcHost = "nats://127.0.0.1:4222",
         .ctlHost = std::nullopt,
         .jsDomain = std::nullopt};
  EXPECT_EQ(roundTrip(h), h);
  EXPECT_FALSE(h.toJson().contains("ctl_host"));  // optional fields are omitted when unset
}

HostInventory sampleInventory() {
  HostInventory inv;
  inv.hostId = kHost;
  inv.friendlyName = "edge-1";
  inv.labels = {{"hostcore.arch", "aarch64"}, {"zone", "edge"}};
  inv.version = "0.1.0";
  inv.uptimeSeconds = 3600;
  inv.uptimeHuman = "1h";
  inv.components.push_back(ComponentDescription{
      .id = "word-count",
      .imageRef = "file:///tmp/wc.wasm",
      .name = "wc",
      .annotations = StringMap{{"app", "demo"}},
      .revision = 2,
      .maxInstances = 4,
      .load = ComponentLoad{.queueDepth = 12, .callsPerSecond = 1500.5, .errors = 1}});
  inv.components.push_back(
      ComponentDescription{.id = "upper", .imageRef = "localhost:5000/upper:1", .maxInstances = 1});
  inv.providers.push_back(
      ProviderDescription{.id = "messaging-nats", .imageRef = "builtin://messaging-nats"});
  return inv;
}

TEST(Messages, HostInventoryRoundTrip) {
  auto inv = sampleInventory();
  EXPECT_EQ(roundTrip(inv), inv);
  Json j = inv.toJson();
  EXPECT_EQ(j["components"][0]["max_instances"], 4);
  EXPECT_EQ(j["components"][0]["load"]["calls_per_s"], 1500.5);
  EXPECT_FALSE(j["components"][1].contains("load"));
}

TEST(Messages, CommandsRoundTrip) {
  ScaleComponentCommand scale{.componentRef = "file:///srv/tasks/wc.wasm",
                              .componentId = "wc",
                              .hostId = std::string(kHost),
                              .maxInstances = 3,
                              .annotations = StringMap{{"k", "v"}},
                              .config = {"a", "b"},
                              .allowUpdate = true};
  EXPECT_EQ(roundTrip(scale), scale);
  EXPECT_EQ(scale.toJson()["count"], 3);  // wasmCloud's wire name for max_instances
  EXPECT_FALSE(scale.toJson().contains("max_instances"));

  UpdateComponentCommand update{.componentId = "wc", .newComponentRef = "reg/wc:2", .hostId = "H"};
  EXPECT_EQ(roundTrip(update), update);
  StopHostCommand stop{.hostId = "H", .timeout = 5000};
  EXPECT_EQ(roundTrip(stop), stop);
  EXPECT_EQ(roundTrip(StopHostCommand{.hostId = "H"}), StopHostCommand{.hostId = "H"});
  EXPECT_EQ(roundTrip(HostLabel{"zone", "edge"}), (HostLabel{"zone", "edge"}));
  EXPECT_EQ(roundTrip(HostLabelKey{"zone"}), HostLabelKey{"zone"});

  Link link{.sourceId = "http-in",
            .target = "wc",
            .witNamespace = "pelato",
            .witPackage = "task",
            .interfaces = {"exec-task"},
            .sourceConfig = {"subs"},
            .targetConfig = {}};
  EXPECT_EQ(roundTrip(link), link);
  LinkDeleteRequest del{
      .sourceId = "http-in", .name = "second", .witNamespace = "pelato", .witPackage = "task"};
  EXPECT_EQ(roundTrip(del), del);

  ComponentAuctionRequest auction{.componentRef = "r",
                                  .componentId = "c",
                                  .constraints = {{"zone", "edge"}},
                                  .maxMemory = 1 << 20,
                                  .maxInstances = 2};
  EXPECT_EQ(roundTrip(auction), auction);
  ComponentAuctionAck ack{
      .componentRef = "r", .componentId = "c", .hostId = "H", .constraints = {{"zone", "edge"}}};
  EXPECT_EQ(roundTrip(ack), ack);
}

TEST(Messages, ConfigValues) {
  auto values = parseConfigValues(Json{{"subject", "in.words"}, {"queue", "wc"}});
  ASSERT_TRUE(values);
  EXPECT_EQ(values->at("subject"), "in.words");
  EXPECT_EQ(configValuesToJson(*values), (Json{{"subject", "in.words"}, {"queue", "wc"}}));
  auto bad = parseConfigValues(Json{{"n", 1}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "config values: n: expected a string, got 1");
}

// --- errors --------------------------------------------------------------------------------

TEST(Messages, ScaleCommandErrorsNameTheField) {
  EXPECT_EQ(errorOf<ScaleComponentCommand>(R"({"component_id": "wc", "count": 1})"),
            "component scale command: component_ref: missing");
  EXPECT_EQ(errorOf<ScaleComponentCommand>(R"({"component_ref": "r", "count": 1})"),
            "component scale command: component_id: missing");
  EXPECT_EQ(errorOf<ScaleComponentCommand>(
                R"({"component_ref": "r", "component_id": "wc", "max_instances": -2})"),
            "component scale command: max_instances: expected a non-negative integer, got -2");
  EXPECT_EQ(errorOf<ScaleComponentCommand>(
                R"({"component_ref": "r", "component_id": "wc", "count": "three"})"),
            "component scale command: count: expected a non-negative integer, got \"three\"");
  EXPECT_EQ(errorOf<ScaleComponentCommand>(
                R"({"component_ref": "r", "component_id": "wc", "count": 4294967296})"),
            "component scale command: count: 4294967296 is too large (at most 4294967295)");
  EXPECT_TRUE(
      contains(errorOf<ScaleComponentCommand>(R"({"component_ref": "r", "component_id": "wc"})"),
               "max_instances: missing"));
  EXPECT_EQ(errorOf<ScaleComponentCommand>(
                R"({"component_ref": "r", "component_id": "wc", "count": 1, "config": "x"})"),
            "component scale command: config: expected an array of strings, got \"x\"");
  EXPECT_EQ(
      errorOf<ScaleComponentCommand>(R"({"component_ref": "r", "component_id": "wc", "count": 1,
                                               "annotations": {"a": false}})"),
      "component scale command: annotations.a: expected a string, got false");
  EXPECT_EQ(errorOf<ScaleComponentCommand>("[1]"),
            "component scale command: expected an object, got [1]");
  EXPECT_TRUE(contains(errorOf<ScaleComponentCommand>("{not json"), "not valid JSON"));
}

TEST(Messages, ScaleCommandAcceptsEitherCountName) {
  auto a = decode<ScaleComponentCommand>(
      R"({"component_ref": "r", "component_id": "c", "max_instances": 5})");
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_EQ(a->maxInstances, 5u);
  auto b = decode<ScaleComponentCommand>(
      R"({"component_ref": "r", "component_id": "c", "count": 0, "surprise": [1]})");
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(b->maxInstances, 0u);  // unknown fields ignored; 0 means stop
}

TEST(Messages, NestedErrorsCarryThePath) {
  auto inv = sampleInventory().toJson();
  inv["components"][1]["max_instances"] = -1;
  auto r = HostInventory::fromJson(inv);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "host inventory: components[1].max_instances: expected a non-negative integer, got -1");
  inv = sampleInventory().toJson();
  inv["components"][0]["load"]["queue_depth"] = "many";
  r = HostInventory::fromJson(inv);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "host inventory: components[0].load.queue_depth: expected a non-negative integer, got "
            "\"many\"");
  inv = sampleInventory().toJson();
  inv["providers"][0].erase("id");
  EXPECT_EQ(HostInventory::fromJson(inv).error().message(),
            "host inventory: providers[0].id: missing");
}

TEST(Messages, OtherRequiredFields) {
  EXPECT_EQ(errorOf<Link>(
                R"({"source_id": "a", "target": "b", "wit_namespace": "x", "wit_package": "y"})"),
            "link: interfaces: missing");
  EXPECT_EQ(errorOf<HostLabel>(R"({"key": "zone"})"), "label put: value: missing");
  EXPECT_EQ(errorOf<UpdateComponentCommand>(R"({"component_id": "c"})"),
            "component update command: new_component_ref: missing");
  EXPECT_EQ(errorOf<Host>(R"({"friendly_name": "x"})"), "host: id: missing");
  EXPECT_EQ(errorOf<CtlReply>(R"({"message": "hi"})"), "control reply: success: missing");
  EXPECT_EQ(errorOf<StopHostCommand>(R"({"timeout": -5})"),
            "host stop command: timeout: expected a non-negative integer, got -5");
}

// --- what wasmCloud's own tools send -------------------------------------------------------

// A scale command as wash/wadm send it: wasmcloud-control-interface 2.x serialises
// ScaleComponentCommand (src/types/ctl.rs) with max_instances renamed to "count".
TEST(WasmCloudSamples, ScaleComponentCommandFromWash) {
  auto cmd = decode<ScaleComponentCommand>(R"({
    "component_ref": "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
    "component_id": "http-hello-world",
    "annotations": {"wasmcloud.dev/managed-by": "wadm", "wasmcloud.dev/appspec": "hello"},
    "count": 3,
    "host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "config": [],
    "allow_update": false
  })");
  ASSERT_TRUE(cmd) << cmd.error().message();
  EXPECT_EQ(cmd->componentRef, "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0");
  EXPECT_EQ(cmd->componentId, "http-hello-world");
  EXPECT_EQ(cmd->maxInstances, 3u);
  EXPECT_EQ(cmd->hostId, kHost);
  EXPECT_EQ(cmd->annotations->at("wasmcloud.dev/appspec"), "hello");
  EXPECT_FALSE(cmd->allowUpdate);
}

// A host.ping reply from a wasmCloud 1.x host: CtlResponse<Host> (control-interface
// src/types/ctl.rs and src/types/host.rs; field order as serde writes them).
TEST(WasmCloudSamples, PingReplyFromWasmCloudHost) {
  auto reply = decode<CtlReply>(R"({"success": true, "message": "", "response": {
    "rpc_host": "nats://127.0.0.1:4222", "ctl_host": "nats://127.0.0.1:4222",
    "friendly_name": "red-dolphin-4234", "id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "labels": {"hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix"},
    "lattice": "default", "uptime_human": "1m 2s", "uptime_seconds": 62, "version": "1.0.4"}})");
  ASSERT_TRUE(reply) << reply.error().message();
  ASSERT_TRUE(reply->success && reply->response);
  auto host = Host::fromJson(*reply->response);
  ASSERT_TRUE(host) << host.error().message();
  EXPECT_EQ(host->id, kHost);
  EXPECT_EQ(host->friendlyName, "red-dolphin-4234");
  EXPECT_EQ(host->labels.at("hostcore.os"), "linux");
  EXPECT_EQ(host->lattice, "default");
  EXPECT_EQ(host->uptimeSeconds, 62u);
  EXPECT_EQ(*host->version, "1.0.4");
  EXPECT_EQ(*host->rpcHost, "nats://127.0.0.1:4222");
  EXPECT_FALSE(host->jsDomain);
}

// A host.get.<host> reply: CtlResponse<HostInventory> (control-interface src/types/host.rs,
// component.rs, provider.rs). max_linear_memory and limits are fields pelato does not use.
TEST(WasmCloudSamples, InventoryFromWasmCloudHost) {
  auto reply = decode<CtlReply>(R"({"success": true, "message": "", "response": {
    "components": [{"id": "http-hello-world", "image_ref": "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
                    "name": "http-hello-world", "annotations": {"wasmcloud.dev/appspec": "hello"},
                    "revision": 0, "max_instances": 100, "max_linear_memory": null, "limits": {}}],
    "providers": [{"id": "httpserver", "image_ref": "ghcr.io/wasmcloud/http-server:0.22.0",
                   "name": "HTTP Server", "revision": 0, "annotations": {"wasmcloud.dev/appspec": "hello"}}],
    "host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP", "friendly_name": "red-dolphin-4234",
    "labels": {"hostcore.arch": "x86_64"}, "version": "1.0.4", "uptime_human": "3m 1s", "uptime_seconds": 181}})");
  ASSERT_TRUE(reply) << reply.error().message();
  auto inv = HostInventory::fromJson(*reply->response);
  ASSERT_TRUE(inv) << inv.error().message();
  ASSERT_EQ(inv->components.size(), 1u);
  EXPECT_EQ(inv->components[0].id, "http-hello-world");
  EXPECT_EQ(inv->components[0].maxInstances, 100u);
  EXPECT_FALSE(inv->components[0].load);
  ASSERT_EQ(inv->providers.size(), 1u);
  EXPECT_EQ(*inv->providers[0].name, "HTTP Server");
  EXPECT_EQ(inv->uptimeSeconds, 181u);
}

// Pre-1.0 hosts called components "actors" (serde alias in HostInventory).
TEST(WasmCloudSamples, InventoryWithActorsAlias) {
  auto inv =
      decode<HostInventory>(R"({"actors": [{"id": "a1", "image_ref": "r", "max_instances": 2}],
                                       "providers": [], "host_id": "H"})");
  ASSERT_TRUE(inv) << inv.error().message();
  ASSERT_EQ(inv->components.size(), 1u);
  EXPECT_EQ(inv->components[0].id, "a1");
}

// link.get reply: CtlResponse<Vec<Link>>; the link as in wasmcloud.com's "Cloud Event List"
// (docs/reference/cloud-event-list.mdx, linkdef_set example).
TEST(WasmCloudSamples, LinkGetReply) {
  auto reply = decode<CtlReply>(R"({"success": true, "message": "", "response": [{
    "interfaces": ["handler"], "name": "default", "source_config": ["rust_echo_messaging-simple_subscription"],
    "source_id": "rust_echo_messaging-nats", "target": "echo", "target_config": [],
    "wit_namespace": "wasmcloud", "wit_package": "messaging"}]})");
  ASSERT_TRUE(reply) << reply.error().message();
  ASSERT_TRUE(reply->response && reply->response->is_array());
  auto link = Link::fromJson((*reply->response)[0]);
  ASSERT_TRUE(link) << link.error().message();
  EXPECT_EQ(link->sourceId, "rust_echo_messaging-nats");
  EXPECT_EQ(link->target, "echo");
  EXPECT_EQ(link->interfaces, std::vector<std::string>{"handler"});
  EXPECT_EQ(link->sourceConfig,
            std::vector<std::string>{"rust_echo_messaging-simple_subscription"});
}

// The wasmCloud host's last-resort error reply (crates/host/src/nats/ctl.rs) has "error"
// instead of "message".
TEST(WasmCloudSamples, FallbackErrorReply) {
  auto reply =
      decode<CtlReply>(R"({"success": false, "error": "failed to deserialize scale command"})");
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_FALSE(reply->success);
  EXPECT_EQ(reply->message, "failed to deserialize scale command");
  auto unsupported = decode<CtlReply>(R"({"success": false, "message": "unsupported subject"})");
  ASSERT_TRUE(unsupported);
  EXPECT_EQ(unsupported->message, "unsupported subject");
}

// A link.del request as control-interface serialises DeleteInterfaceLinkDefinitionRequest;
// "name" may be left out and then means "default".
TEST(WasmCloudSamples, LinkDeleteRequest) {
  auto del = decode<LinkDeleteRequest>(R"({"source_id": "rust_echo_messaging-nats",
                                           "wit_namespace": "wasmcloud", "wit_package": "messaging"})");
  ASSERT_TRUE(del) << del.error().message();
  EXPECT_EQ(del->name, "default");
}

TEST(WasmCloudSamples, RegistryPut) {
  auto json = parseJson(R"({"127.0.0.1:5000": {"username": "u", "password": "p", "registry_type": "oci"},
                             "ghcr.io": {"token": "t"}})");
  ASSERT_TRUE(json);
  auto credentials = parseRegistryCredentials(*json);
  ASSERT_TRUE(credentials) << credentials.error().message();
  EXPECT_EQ(credentials->at("127.0.0.1:5000").username, "u");
  EXPECT_EQ(credentials->at("ghcr.io").token, "t");
  EXPECT_EQ(RegistryCredential::fromJson(credentials->at("ghcr.io").toJson(), "x").value(), credentials->at("ghcr.io"));
  auto bad = parseRegistryCredentials(*parseJson(R"({"r": {"registry_type": "docker"}})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "registry credentials: r.registry_type: registry_type \"docker\" is not supported (only \"oci\")");
  EXPECT_FALSE(parseRegistryCredentials(*parseJson(R"({"r": {"password": 3}})")));
}

}  // namespace
}  // namespace pelato::lattice
