#include "security/nkeys.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace pelato::security {
namespace {

// Published test vector of the NATS nkeys clients (a user key): seed, its public key, and the
// signature of a nonce.
constexpr std::string_view kUserSeed = "SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU";
constexpr std::string_view kUserPublic = "UCK5N7N66OBOINFXAYC2ACJQYFSOD4VYNU6APEJTAVFZB2SVHLKGEW7L";
constexpr std::string_view kNonce = "PXoWU7zWAMt75FY";
constexpr std::string_view kNonceSignatureBase64 =
    "ZaAiVDgB5CeYoXoQ7cBCmq+ZllzUnGUoDVb8C7PilWvCs8XKfUchAUhz2P4BYAF++Dg3w05CqyQFRDiGL6LrDw==";

std::span<const uint8_t> asBytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::string errorOf(const auto& result) { return result ? std::string("(no error)") : result.error().message(); }

TEST(Nkeys, PublishedVector) {
  auto pair = KeyPair::fromSeed(kUserSeed);
  ASSERT_TRUE(pair) << pair.error().message();
  EXPECT_EQ(pair->type(), KeyType::User);
  EXPECT_EQ(pair->publicKey().encode(), kUserPublic);
  EXPECT_EQ(pair->encodeSeed(), kUserSeed);

  Signature signature = pair->sign(asBytes(kNonce));
  std::array<uint8_t, 64> expected;
  size_t length = 0;
  ASSERT_EQ(sodium_base642bin(expected.data(), expected.size(), kNonceSignatureBase64.data(),
                              kNonceSignatureBase64.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  ASSERT_EQ(length, 64u);
  EXPECT_EQ(signature, expected);

  auto pub = PublicKey::parse(kUserPublic);
  ASSERT_TRUE(pub) << pub.error().message();
  EXPECT_TRUE(pub->verify(asBytes(kNonce), signature));
  EXPECT_FALSE(pub->verify(asBytes("PXoWU7zWAMt75FZ"), signature));
}

TEST(Nkeys, GeneratesAccountAndComponentKeys) {
  for (auto [type, letter] : {std::pair{KeyType::Account, 'A'}, std::pair{KeyType::Component, 'M'}}) {
    KeyPair pair = KeyPair::generate(type);
    std::string pub = pair.publicKey().encode();
    std::string seed = pair.encodeSeed();
    EXPECT_EQ(pub.size(), 56u);
    EXPECT_EQ(pub[0], letter);
    EXPECT_EQ(seed.size(), 58u);
    EXPECT_EQ(seed.substr(0, 2), std::string({'S', letter}));

    auto again = KeyPair::fromSeed(seed + "\n");  // as read from a seed file
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(again->publicKey(), pair.publicKey());
    auto parsed = PublicKey::parse(pub, type);
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(*parsed, pair.publicKey());

    Signature signature = pair.sign(asBytes("message"));
    EXPECT_TRUE(parsed->verify(asBytes("message"), signature));
    EXPECT_FALSE(KeyPair::generate(type).publicKey().verify(asBytes("message"), signature));
  }
}

TEST(Nkeys, ChecksPrefixes) {
  KeyPair component = KeyPair::generate(KeyType::Component);
  auto asAccount = PublicKey::parse(component.publicKey().encode(), KeyType::Account);
  ASSERT_FALSE(asAccount);
  EXPECT_NE(errorOf(asAccount).find("component key (M…)"), std::string::npos) << errorOf(asAccount);
  EXPECT_NE(errorOf(asAccount).find("account key (A…) was expected"), std::string::npos) << errorOf(asAccount);

  auto seedAsPublic = PublicKey::parse(component.encodeSeed());
  EXPECT_NE(errorOf(seedAsPublic).find("is a seed"), std::string::npos) << errorOf(seedAsPublic);
  auto publicAsSeed = KeyPair::fromSeed(component.publicKey().encode());
  EXPECT_NE(errorOf(publicAsSeed).find("public key"), std::string::npos) << errorOf(publicAsSeed);

  // Published invalid seeds: a seed-prefixed key of no known type, and no seed prefix at all.
  EXPECT_FALSE(KeyPair::fromSeed("SDAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU"));
  EXPECT_FALSE(KeyPair::fromSeed("PWAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU"));
  EXPECT_FALSE(KeyPair::fromSeed("UAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU"));
  EXPECT_FALSE(KeyPair::fromSeed(""));
}

TEST(Nkeys, DetectsCorruption) {
  KeyPair account = KeyPair::generate(KeyType::Account);
  std::string pub = account.publicKey().encode();
  std::string seed = account.encodeSeed();

  std::string flipped = pub;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';
  auto badCrc = PublicKey::parse(flipped);
  EXPECT_NE(errorOf(badCrc).find("bad checksum"), std::string::npos) << errorOf(badCrc);

  std::string flippedSeed = seed;
  flippedSeed[30] = flippedSeed[30] == 'A' ? 'B' : 'A';
  auto badSeed = KeyPair::fromSeed(flippedSeed);
  EXPECT_NE(errorOf(badSeed).find("bad checksum"), std::string::npos) << errorOf(badSeed);
  EXPECT_EQ(errorOf(badSeed).find(seed.substr(2, 20)), std::string::npos) << "a seed must never be echoed";

  EXPECT_NE(errorOf(PublicKey::parse(pub.substr(0, 55))).find("56 characters"), std::string::npos);
  EXPECT_NE(errorOf(KeyPair::fromSeed(seed + "AA")).find("58 characters"), std::string::npos);
  std::string lower = pub;
  lower[10] = char(std::tolower(lower[10]));
  if (lower != pub) {
    EXPECT_FALSE(PublicKey::parse(lower));
  }
}

TEST(Nkeys, KeyTypeNames) {
  EXPECT_EQ(keyTypeFromName("account"), KeyType::Account);
  EXPECT_EQ(keyTypeFromName("component"), KeyType::Component);
  EXPECT_EQ(keyTypeFromName("user"), std::nullopt);
  EXPECT_EQ(keyTypeName(KeyType::Component), "component");
}

}  // namespace
}  // namespace pelato::security
