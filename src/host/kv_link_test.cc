#include "host/kv_link.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

lattice::Link kvLink(std::vector<std::string> config, std::string name = "default") {
  return {.sourceId = "counter", .target = "kv", .name = std::move(name), .witNamespace = "wasi",
          .witPackage = "keyvalue", .interfaces = {"store"}, .sourceConfig = std::move(config)};
}

TEST(KvLink, NoLinkNoBinding) {
  lattice::Link messaging{.sourceId = "counter", .target = "nats", .witNamespace = "wasmcloud",
                          .witPackage = "messaging", .sourceConfig = {"subscriptions=a"}};
  auto binding = kvBinding({messaging}, "L");
  ASSERT_TRUE(binding);
  EXPECT_FALSE(*binding);
}

TEST(KvLink, DefaultsAndSettings) {
  auto plain = kvBinding({kvLink({})}, "L");
  ASSERT_TRUE(plain && *plain);
  EXPECT_EQ(**plain, (KvBinding{"PELATO_KV_L", ""}));
  auto custom = kvBinding({kvLink({"bucket=orders", "prefix=shop.eu"})}, "L");
  ASSERT_TRUE(custom && *custom) << (custom ? "" : custom.error().message());
  EXPECT_EQ(**custom, (KvBinding{"orders", "shop.eu"}));
}

TEST(KvLink, BadSettingsAreRefused) {
  EXPECT_FALSE(kvBinding({kvLink({"bucket=a.b"})}, "L"));
  EXPECT_FALSE(kvBinding({kvLink({"prefix=a b"})}, "L"));
  auto twice = kvBinding({kvLink({"bucket=a"}), kvLink({"bucket=b"}, "other")}, "L");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message().find("two key-value links"), std::string::npos);
}

}  // namespace
}  // namespace pelato::host
