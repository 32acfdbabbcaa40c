#include "lattice/subjects.h"

#include <gtest/gtest.h>

namespace pelato::lattice {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

Subjects make(std::string_view lattice = "default") {
  auto s = Subjects::create(lattice);
  EXPECT_TRUE(s) << s.error().message();
  return *s;
}

TEST(Subjects, ControlSubjectsMatchWasmCloud1x) {
  auto s = make("prod");
  const std::string host = "NCQDNJWGAISVBPU4VF45AKDTOTU6NI74WZFNW73ZR7K7NJ72AV7PUDHP";
  EXPECT_EQ(s.hostPing(), "wasmbus.ctl.v1.prod.host.ping");
  EXPECT_EQ(*s.hostGet(host), "wasmbus.ctl.v1.prod.host.get." + host);
  EXPECT_EQ(*s.hostStop(host), "wasmbus.ctl.v1.prod.host.stop." + host);
  EXPECT_EQ(*s.labelPut(host), "wasmbus.ctl.v1.prod.label.put." + host);
  EXPECT_EQ(*s.labelDel(host), "wasmbus.ctl.v1.prod.label.del." + host);
  EXPECT_EQ(s.componentAuction(), "wasmbus.ctl.v1.prod.component.auction");
  EXPECT_EQ(*s.componentScale(host), "wasmbus.ctl.v1.prod.component.scale." + host);
  EXPECT_EQ(*s.componentUpdate(host), "wasmbus.ctl.v1.prod.component.update." + host);
  EXPECT_EQ(s.providerAuction(), "wasmbus.ctl.v1.prod.provider.auction");
  EXPECT_EQ(*s.providerStart(host), "wasmbus.ctl.v1.prod.provider.start." + host);
  EXPECT_EQ(*s.providerStop(host), "wasmbus.ctl.v1.prod.provider.stop." + host);
  EXPECT_EQ(s.linkPut(), "wasmbus.ctl.v1.prod.link.put");
  EXPECT_EQ(s.linkDel(), "wasmbus.ctl.v1.prod.link.del");
  EXPECT_EQ(s.linkGet(), "wasmbus.ctl.v1.prod.link.get");
  EXPECT_EQ(s.claimsGet(), "wasmbus.ctl.v1.prod.claims.get");
  EXPECT_EQ(*s.configPut("http-settings"), "wasmbus.ctl.v1.prod.config.put.http-settings");
  EXPECT_EQ(*s.configGet("http-settings"), "wasmbus.ctl.v1.prod.config.get.http-settings");
  EXPECT_EQ(*s.configDel("http-settings"), "wasmbus.ctl.v1.prod.config.del.http-settings");
  EXPECT_EQ(s.registryPut(), "wasmbus.ctl.v1.prod.registry.put");
  EXPECT_EQ(s.controlWildcard(), "wasmbus.ctl.v1.prod.>");
}

TEST(Subjects, EventsRpcAndBucket) {
  auto s = make("edge_1");
  EXPECT_EQ(*s.event("host_heartbeat"), "wasmbus.evt.edge_1.host_heartbeat");
  EXPECT_EQ(s.eventWildcard(), "wasmbus.evt.edge_1.>");
  EXPECT_EQ(*s.rpc("word-count"), "wasmbus.rpc.edge_1.word-count");
  EXPECT_EQ(s.latticeDataBucket(), "LATTICEDATA_edge_1");
}

TEST(Subjects, RejectsBadLatticeNames) {
  for (std::string_view bad : {"", "a.b", "a b", "a*", "a>", "tab\there", "ünï", "a/b"}) {
    auto s = Subjects::create(bad);
    ASSERT_FALSE(s) << "accepted " << bad;
    EXPECT_TRUE(contains(s.error().message(), "lattice name")) << s.error().message();
  }
  EXPECT_TRUE(contains(Subjects::create("a.b").error().message(), "'.'"));
  EXPECT_TRUE(contains(Subjects::create("a*").error().message(), "wildcard"));
  EXPECT_TRUE(contains(Subjects::create("a b").error().message(), "space"));
  EXPECT_TRUE(contains(Subjects::create("").error().message(), "empty"));
  EXPECT_TRUE(contains(Subjects::create(std::string(300, 'a')).error().message(), "at most 255"));
}

TEST(Subjects, RejectsBadArguments) {
  auto s = make();
  auto dotted = s.componentScale("host.1");
  ASSERT_FALSE(dotted);
  EXPECT_TRUE(contains(dotted.error().message(), "host id \"host.1\" contains '.'"))
      << dotted.error().message();
  EXPECT_FALSE(s.hostGet(""));
  EXPECT_FALSE(s.hostGet("*"));
  EXPECT_FALSE(s.configPut("a>b"));
  EXPECT_TRUE(contains(s.configPut("a b").error().message(), "config name"));
  EXPECT_FALSE(s.event("host.heartbeat"));
  EXPECT_TRUE(contains(s.rpc("a.b").error().message(), "component id"));
  auto extra = s.control(ControlCommand::HostPing, "H1");
  ASSERT_FALSE(extra);
  EXPECT_TRUE(contains(extra.error().message(), "takes no argument"));
}

TEST(Subjects, ParsesEveryCommandBack) {
  auto s = make("lat");
  for (int i = 0; i <= static_cast<int>(ControlCommand::RegistryPut); ++i) {
    auto command = static_cast<ControlCommand>(i);
    std::string argument = takesHostId(command) ? "HOST1" : takesConfigName(command) ? "cfg_a" : "";
    auto subject = s.control(command, argument);
    ASSERT_TRUE(subject) << subject.error().message();
    auto parsed = s.parseControl(*subject);
    ASSERT_TRUE(parsed) << *subject << ": " << parsed.error().message();
    EXPECT_EQ(*parsed, (ControlSubject{command, argument})) << *subject;
    EXPECT_TRUE(subject->ends_with(std::string(commandName(command)) +
                                   (argument.empty() ? "" : "." + argument)));
  }
}

TEST(Subjects, ParseExplainsWhatIsWrong) {
  auto s = make("lat");
  auto other = s.parseControl("wasmbus.ctl.v1.other.host.ping");
  ASSERT_FALSE(other);
  EXPECT_TRUE(contains(other.error().message(), "lattice \"other\", not \"lat\""))
      << other.error().message();

  auto unknown = s.parseControl("wasmbus.ctl.v1.lat.component.explode.H");
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(contains(unknown.error().message(), "unknown control command"))
      << unknown.error().message();

  auto noHost = s.parseControl("wasmbus.ctl.v1.lat.component.scale");
  ASSERT_FALSE(noHost);
  EXPECT_TRUE(contains(noHost.error().message(), "needs a host id")) << noHost.error().message();

  auto extra = s.parseControl("wasmbus.ctl.v1.lat.host.ping.H");
  ASSERT_FALSE(extra);
  EXPECT_TRUE(contains(extra.error().message(), "takes no argument")) << extra.error().message();

  auto deep = s.parseControl("wasmbus.ctl.v1.lat.component.scale.H.x");
  ASSERT_FALSE(deep);
  EXPECT_TRUE(contains(deep.error().message(), "contains '.'")) << deep.error().message();

  EXPECT_FALSE(s.parseControl("wasmbus.evt.lat.host_started"));
  EXPECT_FALSE(s.parseControl("wasmbus.ctl.v1.lat"));
  EXPECT_FALSE(s.parseControl("wasmbus.ctl.v1.lat.host.pingx"));
  // wasmCloud 0.x subjects are not v1 subjects.
  EXPECT_FALSE(s.parseControl("wasmbus.ctl.lat.ping.hosts"));
}

}  // namespace
}  // namespace pelato::lattice
