#include "lattice/events.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace pelato::lattice {
namespace {

using namespace std::chrono;

template <typename T>
T roundTrip(const T& value) {
  auto back = decode<T>(encode(value));
  EXPECT_TRUE(back) << back.error().message();
  return back ? *back : T{};
}

TEST(Events, TimeIsRfc3339Utc) {
  EXPECT_EQ(formatEventTime(system_clock::time_point{}), "1970-01-01T00:00:00.000000Z");
  // 2024-06-13T18:00:53.856590Z, the time in wasmcloud.com's host_started example.
  system_clock::time_point t{seconds{1718301653} + microseconds{856590}};
  EXPECT_EQ(formatEventTime(t), "2024-06-13T18:00:53.856590Z");
  EXPECT_EQ(formatEventTime(system_clock::time_point{seconds{951782400}}),
            "2000-02-29T00:00:00.000000Z");
}

TEST(Events, IdsAreUuidV4) {
  std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto id = newEventId();
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Events, LatticeEventEnvelope) {
  auto event = makeLatticeEvent(event_type::kHostStarted, "HOST1", Json{{"host_id", "HOST1"}},
                                "id-1", system_clock::time_point{seconds{1718301653}});
  Json j = event.toJson();
  EXPECT_EQ(j["specversion"], "1.0");
  EXPECT_EQ(j["type"], "com.wasmcloud.lattice.host_started");
  EXPECT_EQ(j["source"], "HOST1");
  EXPECT_EQ(j["id"], "id-1");
  EXPECT_EQ(j["time"], "2024-06-13T18:00:53.000000Z");
  EXPECT_EQ(j["datacontenttype"], "application/json");
  EXPECT_EQ(j["data"]["host_id"], "HOST1");
  EXPECT_EQ(event.latticeType(), "host_started");
  EXPECT_EQ(roundTrip(event), event);

  CloudEvent foreign = event;
  foreign.type = "io.example.other";
  EXPECT_EQ(foreign.latticeType(), "");
}

TEST(Events, EnvelopeErrors) {
  auto noType = decode<CloudEvent>(R"({"specversion": "1.0", "id": "1", "source": "s"})");
  ASSERT_FALSE(noType);
  EXPECT_EQ(noType.error().message(), "cloud event: type: missing");
  auto v03 = decode<CloudEvent>(R"({"specversion": "0.3", "id": "1", "source": "s", "type": "t"})");
  ASSERT_FALSE(v03);
  EXPECT_NE(v03.error().message().find("only CloudEvents \"1.0\""), std::string::npos);
}

TEST(Events, HeartbeatCarriesInventoryAndLoad) {
  HostHeartbeat hb;
  hb.inventory.hostId = "HOST1";
  hb.inventory.friendlyName = "edge-1";
  hb.inventory.labels = {{"zone", "edge"}};
  hb.inventory.version = "0.1.0";
  hb.inventory.uptimeSeconds = 10;
  hb.inventory.uptimeHuman = "10s";
  hb.inventory.components.push_back({.id = "wc",
                                     .imageRef = "file:///wc.wasm",
                                     .maxInstances = 2,
                                     .load = ComponentLoad{.queueDepth = 3}});
  hb.load = HostLoad{.cpu = 0.25, .queueDepth = 3, .callsPerSecond = 1200, .errors = 2};
  EXPECT_EQ(roundTrip(hb), hb);
  Json j = hb.toJson();
  EXPECT_EQ(j["host_id"], "HOST1");  // flat, like wasmCloud's heartbeat (= its inventory)
  EXPECT_EQ(j["components"][0]["max_instances"], 2);
  EXPECT_EQ(j["load"]["cpu"], 0.25);
  EXPECT_EQ(j["load"]["calls_per_s"], 1200.0);

  j["load"]["cpu"] = -1;
  auto bad = HostHeartbeat::fromJson(j);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(),
            "host heartbeat: load.cpu: expected a non-negative number, got -1");
}

TEST(Events, OtherEventsRoundTrip) {
  HostStarted started{
      .hostId = "H", .friendlyName = "f", .labels = {{"a", "b"}}, .version = "0.1.0"};
  EXPECT_EQ(roundTrip(started), started);
  EXPECT_EQ(started.toJson()["id"], "H");  // what wasmCloud 1.x hosts send besides host_id
  HostStopped stopped{.hostId = "H", .labels = {{"a", "b"}}, .reason = "stop"};
  EXPECT_EQ(roundTrip(stopped), stopped);
  LabelsChanged labels{.hostId = "H", .labels = {{"zone", "cloud"}}};
  EXPECT_EQ(roundTrip(labels), labels);
  ComponentScaled scaled{.hostId = "H",
                         .componentId = "wc",
                         .imageRef = "r",
                         .maxInstances = 3,
                         .annotations = {{"k", "v"}},
                         .publicKey = "MABC",
                         .claims = Json{{"issuer", "ACOJ"}, {"name", "wc"}}};
  EXPECT_EQ(roundTrip(scaled), scaled);
  ComponentScaleFailed failed{.hostId = "H",
                              .componentId = "wc",
                              .imageRef = "r",
                              .maxInstances = 3,
                              .error = "file:///x.wasm: no such file"};
  EXPECT_EQ(roundTrip(failed), failed);
  ComponentSuspended suspended{.hostId = "H", .componentId = "wc", .imageRef = "r", .reason = "11 traps in 10 s"};
  EXPECT_EQ(roundTrip(suspended), suspended);
  LinkdefDeleted deleted{.sourceId = "a",
                         .witNamespace = "wasmcloud",
                         .witPackage = "messaging",
                         .target = "b",
                         .interfaces = std::vector<std::string>{"consumer"}};
  EXPECT_EQ(roundTrip(deleted), deleted);
  LinkdefDeleted bare{.sourceId = "a", .witNamespace = "wasmcloud", .witPackage = "messaging"};
  EXPECT_FALSE(bare.toJson().contains("target"));
  EXPECT_EQ(roundTrip(bare), bare);
}

TEST(Events, RequiredEventFields) {
  auto failed = decode<ComponentScaleFailed>(R"({"host_id": "H", "component_id": "c"})");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "component_scale_failed: error: missing");
  auto scaled = decode<ComponentScaled>(R"({"host_id": "H", "component_id": "c", "claims": "x"})");
  ASSERT_FALSE(scaled);
  EXPECT_EQ(scaled.error().message(), "component_scaled: claims: expected an object, got \"x\"");
  auto started = decode<HostStarted>(R"({"labels": {}})");
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().message(), "host_started: host_id: missing");
}

// --- the examples of wasmcloud.com's "Cloud Event List" ------------------------------------
// (wasmCloud/wasmcloud.com, docs/reference/cloud-event-list.mdx, wasmCloud 1.0 docs)

CloudEvent envelope(std::string_view text) {
  auto event = decode<CloudEvent>(text);
  EXPECT_TRUE(event) << event.error().message();
  return event ? *event : CloudEvent{};
}

TEST(WasmCloudEventSamples, ComponentScaled) {
  auto event = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.component_scaled",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2023-06-13T00:00:00+00:00",
    "data": {
      "host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
      "image_ref": "wasmcloud.azurecr.io/blobby:0.1.0",
      "max_instances": 5,
      "component_id": "blobby-blobby",
      "annotations": {"key": "value"},
      "claims": {
        "call_alias": null,
        "issuer": "ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BEJWGVAOOQHZMCW",
        "tags": ["wasmcloud.com/experimental"],
        "name": "blobby",
        "version": "0.1.0",
        "revision": "0"
      }
    }
  })");
  EXPECT_EQ(event.latticeType(), event_type::kComponentScaled);
  auto data = ComponentScaled::fromJson(event.data);
  ASSERT_TRUE(data) << data.error().message();
  EXPECT_EQ(data->componentId, "blobby-blobby");
  EXPECT_EQ(data->imageRef, "wasmcloud.azurecr.io/blobby:0.1.0");
  EXPECT_EQ(data->maxInstances, 5u);
  EXPECT_EQ(data->annotations.at("key"), "value");
  ASSERT_TRUE(data->claims);
  EXPECT_EQ((*data->claims)["name"], "blobby");
}

TEST(WasmCloudEventSamples, ComponentScaleFailed) {
  auto event = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.component_scale_failed",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2023-06-13T00:00:00+00:00",
    "data": {
      "host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
      "image_ref": "wasmcloud.azurecr.io/blobby:0.1.0",
      "max_instances": 5,
      "component_id": "blobby-blobby",
      "annotations": {"key": "value"},
      "error": "Failed to scale component"
    }
  })");
  auto data = ComponentScaleFailed::fromJson(event.data);
  ASSERT_TRUE(data) << data.error().message();
  EXPECT_EQ(data->error, "Failed to scale component");
  EXPECT_EQ(data->maxInstances, 5u);
}

TEST(WasmCloudEventSamples, LinkdefSetAndDeleted) {
  auto set = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.linkdef_set",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2023-06-13T00:00:00+00:00Z",
    "data": {
      "interfaces": ["handler"],
      "name": "default",
      "source_config": ["rust_echo_messaging-simple_subscription"],
      "source_id": "rust_echo_messaging-nats",
      "target": "echo",
      "target_config": [],
      "wit_namespace": "wasmcloud",
      "wit_package": "messaging"
    }
  })");
  EXPECT_EQ(set.latticeType(), event_type::kLinkdefSet);
  auto link = Link::fromJson(set.data);
  ASSERT_TRUE(link) << link.error().message();
  EXPECT_EQ(link->witPackage, "messaging");

  auto deleted = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.linkdef_deleted",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2023-06-13T00:00:00+00:00Z",
    "data": {
      "name": "default",
      "source_id": "rust_echo_messaging-nats",
      "wit_namespace": "wasmcloud",
      "wit_package": "messaging"
    }
  })");
  auto data = LinkdefDeleted::fromJson(deleted.data);
  ASSERT_TRUE(data) << data.error().message();
  EXPECT_EQ(data->sourceId, "rust_echo_messaging-nats");
  EXPECT_FALSE(data->target);
}

TEST(WasmCloudEventSamples, HostLifecycleAndHeartbeat) {
  auto started = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.host_started",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2024-06-13T18:00:53.856590Z",
    "data": {"host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP", "labels": {"key": "value"}}
  })");
  auto s = HostStarted::fromJson(started.data);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->labels.at("key"), "value");

  // What the wasmCloud 1.x host itself sends (crates/host/src/wasmbus/mod.rs): "id", not "host_id".
  auto fromHost =
      HostStarted::fromJson(Json::parse(R"({"id": "NHOST", "friendly_name": "red-dolphin",
      "labels": {}, "uptime_seconds": 0, "version": "1.0.4"})"));
  ASSERT_TRUE(fromHost) << fromHost.error().message();
  EXPECT_EQ(fromHost->hostId, "NHOST");
  EXPECT_EQ(fromHost->version, "1.0.4");

  auto stopped = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.host_stopped",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2024-06-13T18:00:53.856590Z",
    "data": {"host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP", "labels": {"key": "value"},
             "reason": "stop"}
  })");
  auto st = HostStopped::fromJson(stopped.data);
  ASSERT_TRUE(st) << st.error().message();
  EXPECT_EQ(st->reason, "stop");

  // The documented heartbeat example is abbreviated to two fields; it still parses (the rest
  // defaults), and has no pelato load.
  auto heartbeat = envelope(R"({
    "id": "123e4567-e89b-12d3-a456-426614174000",
    "type": "com.wasmcloud.lattice.host_heartbeat",
    "source": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP",
    "datacontenttype": "application/json",
    "specversion": "1.0",
    "time": "2023-06-13T00:00:00+00:00Z",
    "data": {"host_id": "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP", "uptime_seconds": 1000}
  })");
  auto hb = HostHeartbeat::fromJson(heartbeat.data);
  ASSERT_TRUE(hb) << hb.error().message();
  EXPECT_EQ(hb->inventory.uptimeSeconds, 1000u);
  EXPECT_TRUE(hb->inventory.components.empty());
  EXPECT_FALSE(hb->load);
}

}  // namespace
}  // namespace pelato::lattice
