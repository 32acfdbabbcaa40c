#include "host/messaging_link.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

lattice::Link link(std::vector<std::string> source, std::vector<std::string> target = {}) {
  return {.sourceId = "upper", .target = "nats", .witNamespace = "wasmcloud", .witPackage = "messaging",
          .interfaces = {"consumer"}, .sourceConfig = source, .targetConfig = target};
}

TEST(MessagingLink, ReadsSubscriptionsAndDestination) {
  auto b = messagingBinding(link({"subscriptions=in.a, in.b", "destination=out.x", "named-config"}));
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(*b, (MessagingBinding{"upper", {"in.a", "in.b"}, "out.x"}));
}

TEST(MessagingLink, TargetConfigOverridesAndDestinationIsOptional) {
  auto b = messagingBinding(link({"subscriptions=in.a"}, {"subscriptions=in.c"}));
  ASSERT_TRUE(b) << b.error().message();
  EXPECT_EQ(b->subscriptions, std::vector<std::string>{"in.c"});
  EXPECT_EQ(b->destination, "");
}

TEST(MessagingLink, ReadsDeliveryMode) {
  auto fast = messagingBinding(link({"subscriptions=in"}));
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->delivery, Delivery::AtMostOnce);
  auto safe = messagingBinding(link({"subscriptions=in", "delivery=at-least-once", "ack_wait_ms=2000"}));
  ASSERT_TRUE(safe) << safe.error().message();
  EXPECT_EQ(safe->delivery, Delivery::AtLeastOnce);
  EXPECT_EQ(safe->ackWait, std::chrono::milliseconds(2000));
  auto typo = messagingBinding(link({"subscriptions=in", "delivery=exactly-once"}));
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().message(), "delivery: \"exactly-once\" is neither at-least-once nor at-most-once");
  EXPECT_FALSE(messagingBinding(link({"subscriptions=in", "ack_wait_ms=5s"})));
}

TEST(MessagingLink, RejectsBadLinks) {
  EXPECT_FALSE(messagingBinding(link({"destination=out"})));
  EXPECT_FALSE(messagingBinding(link({"subscriptions=a,,b"})));
  EXPECT_FALSE(messagingBinding(link({"subscriptions=a b"})));
  EXPECT_FALSE(messagingBinding(link({"subscriptions=in", "destination=out.>"})));
  auto other = link({"subscriptions=in"});
  other.witPackage = "keyvalue";
  EXPECT_FALSE(isMessagingLink(other));
  EXPECT_FALSE(messagingBinding(other));
}

}  // namespace
}  // namespace pelato::host
