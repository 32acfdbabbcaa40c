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
