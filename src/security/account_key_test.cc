#include "security/account_key.h"

#include <gtest/gtest.h>

#include "common/file.h"

namespace pelato::security {
namespace {

TEST(AccountKey, DefaultPathFollowsXdg) {
  EXPECT_EQ(defaultIssuerKeyPath("/x/config", "/home/u"), "/x/config/pelato/issuer.nk");
  EXPECT_EQ(defaultIssuerKeyPath("", "/home/u"), "/home/u/.config/pelato/issuer.nk");
}

TEST(AccountKey, MadeOnceThenReadBack) {
  auto tmp = TempDir::create("account");
  ASSERT_TRUE(tmp);
  auto path = tmp->path() / "a" / "issuer.nk";
  auto first = loadOrCreateAccountKey(path);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->pair.type(), KeyType::Account);
  auto second = loadOrCreateAccountKey(path);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->pair.publicKey().encode(), first->pair.publicKey().encode());
}

}  // namespace
}  // namespace pelato::security
