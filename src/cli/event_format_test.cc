#include "cli/event_format.h"

#include <gtest/gtest.h>

namespace pelato::cli {
namespace {

using lattice::Json;

const std::string kHost = "NAAA";

lattice::CloudEvent event(std::string_view type, Json data) {
  auto e = lattice::makeLatticeEvent(type, kHost, std::move(data), "id-1", {});
  e.time = "2024-06-13T18:00:53.856590Z";
  return e;
}

TEST(EventFormat, TimeAndQuoting) {
  EXPECT_EQ(shortEventTime("2024-06-13T18:00:53.856590Z"), "2024-06-13T18:00:53.856Z");
  EXPECT_EQ(shortEventTime("2024-06-13T18:00:53Z"), "2024-06-13T18:00:53Z");
  EXPECT_EQ(shortEventTime(""), "");
  EXPECT_EQ(quoteIfNeeded("plain"), "plain");
  EXPECT_EQ(quoteIfNeeded(""), "\"\"");
  EXPECT_EQ(quoteIfNeeded("two words"), "\"two words\"");
  EXPECT_EQ(quoteIfNeeded("say \"hi\""), "\"say \\\"hi\\\"\"");
}

TEST(EventFormat, Heartbeat) {
  lattice::HostHeartbeat heartbeat{
      .inventory = {.hostId = kHost, .friendlyName = "edge-1",
                    .components = {{.id = "upper", .maxInstances = 2}, {.id = "wc", .maxInstances = 1}}},
      .load = lattice::HostLoad{.queueDepth = 3, .callsPerSecond = 1200, .errors = 1}};
  EXPECT_EQ(formatEvent(event("host_heartbeat", heartbeat.toJson())),
            "2024-06-13T18:00:53.856Z host_heartbeat         NAAA name=edge-1 components=upper:2,wc:1 "
            "queue=3 calls/s=1200.0 errors=1");
  heartbeat.inventory.components.clear();
  heartbeat.load.reset();
  EXPECT_EQ(formatEvent(event("host_heartbeat", heartbeat.toJson())),
            "2024-06-13T18:00:53.856Z host_heartbeat         NAAA name=edge-1 components=-");
}

TEST(EventFormat, HostAndLabelEvents) {
  lattice::HostStarted started{.hostId = kHost, .friendlyName = "edge-1", .labels = {{"zone", "a b"}}, .version = "0.1.0"};
  EXPECT_EQ(formatEvent(event("host_started", started.toJson())),
            "2024-06-13T18:00:53.856Z host_started           NAAA name=edge-1 labels=\"zone=a b\" version=0.1.0");
  EXPECT_EQ(formatEvent(event("host_stopped", lattice::HostStopped{.hostId = kHost, .reason = "SIGTERM"}.toJson())),
            "2024-06-13T18:00:53.856Z host_stopped           NAAA reason=SIGTERM");
  EXPECT_EQ(formatEvent(event("labels_changed", lattice::LabelsChanged{.hostId = kHost, .labels = {{"k", "v"}}}.toJson())),
            "2024-06-13T18:00:53.856Z labels_changed         NAAA labels=k=v");
}

TEST(EventFormat, ComponentEvents) {
  lattice::ComponentScaled scaled{.hostId = kHost, .componentId = "upper", .imageRef = "file:///u.wasm", .maxInstances = 2};
  EXPECT_EQ(formatEvent(event("component_scaled", scaled.toJson())),
            "2024-06-13T18:00:53.856Z component_scaled       NAAA component=upper instances=2 ref=file:///u.wasm");
  lattice::ComponentScaleFailed failed{.hostId = kHost, .componentId = "upper", .imageRef = "file:///x.wasm",
                                       .maxInstances = 1, .error = "cannot read /x.wasm: no such file"};
  EXPECT_EQ(formatEvent(event("component_scale_failed", failed.toJson())),
            "2024-06-13T18:00:53.856Z component_scale_failed NAAA component=upper instances=1 ref=file:///x.wasm "
            "error=\"cannot read /x.wasm: no such file\"");
}

TEST(EventFormat, LinkEvents) {
  lattice::Link link{.sourceId = "upper", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
                     .interfaces = {"consumer"}};
  EXPECT_EQ(formatEvent(event("linkdef_set", link.toJson())),
            "2024-06-13T18:00:53.856Z linkdef_set            NAAA source=upper target=nats "
            "interfaces=wasmcloud:messaging/consumer name=default");
  lattice::LinkdefDeleted deleted{.sourceId = "upper", .witNamespace = "wasmcloud", .witPackage = "messaging"};
  EXPECT_EQ(formatEvent(event("linkdef_deleted", deleted.toJson())),
            "2024-06-13T18:00:53.856Z linkdef_deleted        NAAA source=upper interfaces=wasmcloud:messaging name=default");
}

TEST(EventFormat, UnknownTypesAndBadDataShowTheData) {
  EXPECT_EQ(formatEvent(event("config_set", Json{{"config_name", "c"}})),
            "2024-06-13T18:00:53.856Z config_set             NAAA data={\"config_name\":\"c\"}");
  EXPECT_EQ(formatEvent(event("component_scaled", Json{{"host_id", kHost}})),
            "2024-06-13T18:00:53.856Z component_scaled       NAAA data={\"host_id\":\"NAAA\"}");
  auto foreign = event("x", Json::object());
  foreign.type = "io.example.thing";
  EXPECT_EQ(formatEvent(foreign), "2024-06-13T18:00:53.856Z io.example.thing       NAAA data={}");
  auto big = event("config_set", Json{{"v", std::string(300, 'x')}});
  EXPECT_TRUE(formatEvent(big).ends_with("…"));
}

}  // namespace
}  // namespace pelato::cli
