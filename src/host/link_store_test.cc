#include "host/link_store.h"

#include <gtest/gtest.h>

namespace pelato::host {
namespace {

lattice::Link link(std::string source, std::string target, std::string package = "messaging") {
  return {.sourceId = source, .target = target, .witNamespace = "wasmcloud",
          .witPackage = package, .interfaces = {"consumer"}};
}

TEST(LinkStore, PutReplacesTheSameKey) {
  LinkStore store;
  EXPECT_FALSE(store.put(link("a", "t1")));
  EXPECT_FALSE(store.put(link("a", "t1", "keyvalue")));
  auto old = store.put(link("a", "t2"));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->target, "t1");
  EXPECT_EQ(store.all().size(), 2u);
  EXPECT_EQ(store.fromSource("a").size(), 2u);
  EXPECT_TRUE(store.fromSource("b").empty());
}

TEST(LinkStore, DelRemovesOnlyAMatchingLink) {
  LinkStore store;
  store.put(link("a", "t"));
  EXPECT_FALSE(store.del({.sourceId = "a", .witNamespace = "wasmcloud", .witPackage = "http"}));
  auto removed = store.del({.sourceId = "a", .witNamespace = "wasmcloud", .witPackage = "messaging"});
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->target, "t");
  EXPECT_TRUE(store.all().empty());
}

}  // namespace
}  // namespace pelato::host
