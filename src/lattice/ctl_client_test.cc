// CtlClient against a real nats-server, with fake hosts: handlers subscribed on the control
// subjects that reply (and publish events) the way docs/PROTOCOL.md says a host does.
#include "lattice/ctl_client.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "support/nats_server.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

const std::string kHostA = "NAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string kHostB = "NBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

std::string eventText(std::string_view type, const std::string& host, Json data) {
  return encode(makeLatticeEvent(type, host, std::move(data), newEventId(),
                                 std::chrono::system_clock::now()));
}

class CtlClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::NatsServer::findBinary())
      GTEST_SKIP()
          << "nats-server is not installed (Debian package nats-server; scripts/setup installs it)";
    auto server = testing::NatsServer::start({.jetstream = false});
    ASSERT_TRUE(server) << server.error().message();
    server_ = std::move(*server);
    auto nats = NatsClient::connect({.url = server_->url(), .name = "ctl-client-test"});
    ASSERT_TRUE(nats) << nats.error().message();
    nats_ = std::move(*nats);
    client_.emplace(*nats_, *Subjects::create("ctltest"), 300ms);
  }

  // A fake host: answers `subject` with `reply(request)`, remembering the requests.
  void respond(const std::string& subject, std::function<std::string(const NatsMessage&)> reply) {
    auto sub = nats_->subscribe(subject, [this, reply](NatsMessage m) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(m);
      }
      (void)nats_->respond(m, reply(m));
    });
    ASSERT_TRUE(sub) << sub.error().message();
    fakes_.push_back(std::move(*sub));
    ASSERT_TRUE(nats_->flush());
  }

  std::vector<NatsMessage> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  const Subjects& subjects() { return client_->subjects(); }

  std::unique_ptr<testing::NatsServer> server_;
  std::unique_ptr<NatsClient> nats_;
  std::optional<CtlClient> client_;
  std::mutex mutex_;
  std::vector<NatsMessage> requests_;
  std::vector<NatsSubscription> fakes_;  // destroyed before nats_ (declared after it)
};

TEST_F(CtlClientTest, PingCollectsEveryHostSortedAndSkipsJunk) {
  for (auto [id, name] : {std::pair{kHostA, "zebra"}, std::pair{kHostB, "alpaca"}}) {
    Host host{.id = id, .friendlyName = name, .labels = {{"zone", "edge"}}, .uptimeSeconds = 7};
    respond(subjects().hostPing(), [host](const NatsMessage&) { return encode(CtlReply::ok(host.toJson())); });
  }
  respond(subjects().hostPing(), [](const NatsMessage&) { return std::string("not json"); });

  auto hosts = client_->pingHosts(300ms);
  ASSERT_TRUE(hosts) << hosts.error().message();
  ASSERT_EQ(hosts->size(), 2u);
  EXPECT_EQ((*hosts)[0].friendlyName, "alpaca");
  EXPECT_EQ((*hosts)[0].id, kHostB);
  EXPECT_EQ((*hosts)[1].friendlyName, "zebra");
  EXPECT_EQ((*hosts)[1].labels.at("zone"), "edge");
  EXPECT_EQ((*hosts)[1].uptimeSeconds, 7u);
}

TEST_F(CtlClientTest, PingWithNoHostsIsEmpty) {
  auto hosts = client_->pingHosts(100ms);
  ASSERT_TRUE(hosts) << hosts.error().message();
  EXPECT_TRUE(hosts->empty());
}

TEST_F(CtlClientTest, InventoryOfAHost) {
  HostInventory inventory{.hostId = kHostA, .friendlyName = "edge-1",
                          .components = {{.id = "upper", .imageRef = "file:///u.wasm", .maxInstances = 2}}};
  respond(*subjects().hostGet(kHostA), [&](const NatsMessage&) { return encode(CtlReply::ok(inventory.toJson())); });
  auto got = client_->inventory(kHostA);
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(*got, inventory);
}

TEST_F(CtlClientTest, InventoryOfAMissingHostSaysHowToListHosts) {
  auto got = client_->inventory(kHostB);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message(),
            "no host " + kHostB + " answered on lattice ctltest within 300 ms; `pelato get hosts` lists them");
  auto bad = client_->inventory("no.dots");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("host id"), std::string::npos) << bad.error().message();
}

TEST_F(CtlClientTest, ScaleWaitsForItsOwnComponentScaledEvent) {
  // The outcome is published before the reply, and an event about another component comes
  // first: the client must have subscribed before sending, and must filter.
  respond(*subjects().componentScale(kHostA), [&](const NatsMessage& m) {
    auto command = decode<ScaleComponentCommand>(m.data);
    ComponentScaled other{.hostId = kHostA, .componentId = "other", .maxInstances = 9};
    ComponentScaled mine{.hostId = kHostA, .componentId = command->componentId,
                         .imageRef = command->componentRef, .maxInstances = command->maxInstances};
    (void)nats_->publish(*subjects().event("component_scaled"), eventText("component_scaled", kHostA, other.toJson()));
    (void)nats_->publish(*subjects().event("component_scaled"), eventText("component_scaled", kHostA, mine.toJson()));
    return encode(CtlReply::done("scaling"));
  });
  ScaleComponentCommand command{.componentRef = "file:///u.wasm", .componentId = "upper",
                                .hostId = kHostA, .maxInstances = 3};
  auto outcome = client_->scale(command, 2s);
  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome->acceptedMessage, "scaling");
  ASSERT_TRUE(outcome->scaled);
  EXPECT_EQ(outcome->scaled->componentId, "upper");
  EXPECT_EQ(outcome->scaled->maxInstances, 3u);
  EXPECT_EQ(outcome->scaled->imageRef, "file:///u.wasm");
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(decode<ScaleComponentCommand>(requests()[0].data), command);
}

TEST_F(CtlClientTest, ScaleFailedEventIsAnErrorWithTheHostsReason) {
  respond(*subjects().componentScale(kHostA), [&](const NatsMessage&) {
    ComponentScaleFailed failed{.hostId = kHostA, .componentId = "upper", .maxInstances = 1,
                                .error = "cannot read /nope.wasm: no such file"};
    (void)nats_->publish(*subjects().event("component_scale_failed"),
                         eventText("component_scale_failed", kHostA, failed.toJson()));
    return encode(CtlReply::done());
  });
  auto outcome = client_->scale({.componentRef = "file:///nope.wasm", .componentId = "upper",
                                 .hostId = kHostA, .maxInstances = 1}, 2s);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message(), "host " + kHostA +
                                           " failed to scale component upper to 1: cannot read "
                                           "/nope.wasm: no such file");
}

TEST_F(CtlClientTest, ScaleRefusedOrUnansweredOrWithoutEvent) {
  respond(*subjects().componentScale(kHostA),
          [](const NatsMessage&) { return encode(CtlReply::error("only file:// refs until the OCI issue lands")); });
  auto refused = client_->scale({.componentRef = "oci:x", .componentId = "c", .hostId = kHostA, .maxInstances = 1}, 1s);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("refused: only file:// refs"), std::string::npos)
      << refused.error().message();

  auto missing = client_->scale({.componentRef = "file:///x", .componentId = "c", .hostId = kHostB, .maxInstances = 1}, 1s);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("no host " + kHostB + " answered"), std::string::npos);

  respond(*subjects().componentScale(kHostB), [](const NatsMessage&) { return encode(CtlReply::done()); });
  auto silent = client_->scale({.componentRef = "file:///x", .componentId = "c", .hostId = kHostB, .maxInstances = 1}, 200ms);
  ASSERT_FALSE(silent);
  EXPECT_NE(silent.error().message().find("published neither component_scaled nor component_scale_failed"),
            std::string::npos)
      << silent.error().message();
  auto noWait = client_->scale({.componentRef = "file:///x", .componentId = "c", .hostId = kHostB, .maxInstances = 1},
                               std::nullopt);
  ASSERT_TRUE(noWait) << noWait.error().message();
  EXPECT_FALSE(noWait->scaled);
}

TEST_F(CtlClientTest, LinksPutDeleteGet) {
  Link link{.sourceId = "upper", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
            .interfaces = {"consumer"}, .sourceConfig = {"subscriptions=in.a"}};
  respond(subjects().linkPut(), [](const NatsMessage&) { return encode(CtlReply::done()); });
  respond(subjects().linkDel(), [](const NatsMessage&) { return encode(CtlReply::done("no such link")); });
  respond(subjects().linkGet(), [&](const NatsMessage&) { return encode(CtlReply::ok(Json::array({link.toJson()}))); });

  auto put = client_->linkPut(link);
  ASSERT_TRUE(put) << put.error().message();
  auto del = client_->linkDel({.sourceId = "upper", .witNamespace = "wasmcloud", .witPackage = "messaging"});
  ASSERT_TRUE(del) << del.error().message();
  EXPECT_EQ(*del, "no such link");
  auto links = client_->linkGet();
  ASSERT_TRUE(links) << links.error().message();
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0], link);

  auto sent = requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(decode<Link>(sent[0].data), link);
  auto delSent = decode<LinkDeleteRequest>(sent[1].data);
  ASSERT_TRUE(delSent);
  EXPECT_EQ(delSent->name, "default");
}

TEST_F(CtlClientTest, LinkRefusedAndNobodyThere) {
  auto none = client_->linkGet();
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no host answered link.get on lattice ctltest"), std::string::npos)
      << none.error().message();
  respond(subjects().linkPut(), [](const NatsMessage&) { return encode(CtlReply::error("subscriptions: missing")); });
  auto put = client_->linkPut({.sourceId = "a", .target = "b", .witNamespace = "n", .witPackage = "p"});
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().message(), "link.put refused: subscriptions: missing");
}

TEST_F(CtlClientTest, StopHostSendsTheCommand) {
  respond(*subjects().hostStop(kHostA), [](const NatsMessage&) { return encode(CtlReply::done()); });
  auto stopped = client_->stopHost(kHostA);
  ASSERT_TRUE(stopped) << stopped.error().message();
  auto sent = decode<StopHostCommand>(requests().at(0).data);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->hostId, kHostA);
  EXPECT_FALSE(client_->stopHost(kHostB));
}

TEST_F(CtlClientTest, CallReturnsTheReplyRawOrSaysNothingRunsIt) {
  std::string binary("in\0out\xff", 7);
  respond(*subjects().rpc("upper"), [](const NatsMessage& m) { return "got:" + m.data; });
  auto out = client_->call("upper", binary, 1s);
  ASSERT_TRUE(out) << out.error().message();
  EXPECT_EQ(*out, "got:" + binary);

  auto none = client_->call("ghost", "x", 1s);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("component ghost is not running anywhere on lattice ctltest"),
            std::string::npos)
      << none.error().message();
}

TEST_F(CtlClientTest, CallReportsTheComponentsFailure) {
  auto sub = nats_->subscribe(*subjects().rpc("crasher"), [this](NatsMessage m) {
    (void)nats_->publish(NatsMessage{.subject = m.reply, .headers = {{std::string(kCallErrorHeader), "trap: unreachable"}}});
  });
  ASSERT_TRUE(sub && nats_->flush());
  auto out = client_->call("crasher", "x", 1s);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message(), "component crasher failed: trap: unreachable");
}

TEST_F(CtlClientTest, SubscribeEventsParsesAndFiltersByType) {
  std::mutex mutex;
  std::vector<std::string> seen;
  auto handler = [&](Result<CloudEvent> event, const std::string& raw) {
    std::lock_guard lock(mutex);
    seen.push_back(event ? std::string(event->latticeType()) : "bad:" + raw);
  };
  auto all = client_->subscribeEvents(std::nullopt, handler);
  auto onlyStopped = client_->subscribeEvents("host_stopped", handler);
  ASSERT_TRUE(all && onlyStopped);
  ASSERT_TRUE(nats_->flush());
  ASSERT_TRUE(nats_->publish(*subjects().event("host_started"), eventText("host_started", kHostA, Json::object())));
  ASSERT_TRUE(nats_->publish(*subjects().event("host_stopped"), eventText("host_stopped", kHostA, Json::object())));
  ASSERT_TRUE(nats_->publish(*subjects().event("junk"), "{"));
  ASSERT_TRUE(nats_->flush());
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mutex);
      if (seen.size() >= 4) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::lock_guard lock(mutex);
  std::ranges::sort(seen);
  EXPECT_EQ(seen, (std::vector<std::string>{"bad:{", "host_started", "host_stopped", "host_stopped"}));
  EXPECT_FALSE(client_->subscribeEvents("bad.type", handler));
}

}  // namespace
}  // namespace pelato::lattice
