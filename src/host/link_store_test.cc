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

TEST(LinkStore, KvKeys) {
  auto l = link("a", "t");
  std::string key = linkKvKey(l);
  EXPECT_TRUE(key.starts_with("LINKDEF_"));
  EXPECT_EQ(key.size(), 8u + 64u);
  // sha256 of ["a","default","wasmcloud","messaging"]
  EXPECT_EQ(key, linkKvKey("a", "default", "wasmcloud", "messaging"));
  EXPECT_EQ(key, linkKvKey(lattice::LinkDeleteRequest{.sourceId = "a", .name = "default",
                                                      .witNamespace = "wasmcloud", .witPackage = "messaging"}));
  EXPECT_NE(key, linkKvKey(link("a", "other", "keyvalue")));
  // The fields cannot run into each other.
  EXPECT_NE(linkKvKey("ab", "c", "x", "y"), linkKvKey("a", "bc", "x", "y"));
  EXPECT_NE(linkKvKey(link("b", "t")), key);
  EXPECT_EQ(linkKvKey(link("a", "other-target")), key);  // the target is not part of the key

  LinkStore store;
  store.put(l);
  store.put(link("a", "t", "keyvalue"));
  EXPECT_FALSE(store.delByKvKey("LINKDEF_nope"));
  auto removed = store.delByKvKey(key);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->witPackage, "messaging");
  EXPECT_EQ(store.all().size(), 1u);
}

}  // namespace
}  // namespace pelato::host
