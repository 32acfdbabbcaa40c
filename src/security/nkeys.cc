#include "security/nkeys.h"

#include <sodium.h>

#include <cstdlib>

#include <algorithm>
#include <vector>

#include "security/base32.h"
#include "security/crc16.h"

namespace pelato::security {

namespace {

constexpr uint8_t kSeedPrefix = 18 << 3;  // base32 'S'
constexpr size_t kPublicTextLength = 56;  // base32 of 1 + 32 + 2 bytes
constexpr size_t kSeedTextLength = 58;    // base32 of 2 + 32 + 2 bytes

constexpr KeyType kAllTypes[] = {KeyType::Account, KeyType::Component, KeyType::User,
                                 KeyType::Server,  KeyType::Operator,  KeyType::Cluster};

// The prefix byte is the letter's base32 value in the top five bits.
uint8_t prefixByte(KeyType type) {
  char letter = keyTypeLetter(type);
  return uint8_t((letter - 'A') << 3);
}

std::optional<KeyType> typeFromPrefixByte(uint8_t byte) {
  for (KeyType t : kAllTypes)
    if (prefixByte(t) == byte) return t;
  return std::nullopt;
}

std::string describePrefix(char letter) {
  for (KeyType t : kAllTypes)
    if (keyTypeLetter(t) == letter) return fmt::format("{} key ({}…)", keyTypeName(t), letter);
  return fmt::format("key starting with '{}'", letter);
}

std::string encodeWithCrc(std::vector<uint8_t> raw) {
  uint16_t crc = crc16Xmodem(raw);
  raw.push_back(uint8_t(crc & 0xff));
  raw.push_back(uint8_t(crc >> 8));
  std::string text = base32Encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return text;
}

// Decodes base32 and checks the trailing CRC; returns the bytes before it.
Result<std::vector<uint8_t>> decodeWithCrc(std::string_view text, std::string_view what) {
  auto raw = base32Decode(text);
  if (!raw) return fail("{} is not valid: {}", what, raw.error().message());
  if (raw->size() < 4) return fail("{} is too short", what);
  uint16_t stored = uint16_t((*raw)[raw->size() - 2] | ((*raw)[raw->size() - 1] << 8));
  raw->resize(raw->size() - 2);
  if (crc16Xmodem(*raw) != stored)
    return fail("{} has a bad checksum (mistyped or truncated? copy it again from its source)", what);
  return raw;
}

}  // namespace

char keyTypeLetter(KeyType type) {
  switch (type) {
    case KeyType::Account: return 'A';
    case KeyType::Component: return 'M';
    case KeyType::User: return 'U';
    case KeyType::Server: return 'N';
    case KeyType::Operator: return 'O';
    case KeyType::Cluster: return 'C';
  }
  return '?';
}

std::string_view keyTypeName(KeyType type) {
  switch (type) {
    case KeyType::Account: return "account";
    case KeyType::Component: return "component";
    case KeyType::User: return "user";
    case KeyType::Server: return "server";
    case KeyType::Operator: return "operator";
    case KeyType::Cluster: return "cluster";
  }
  return "unknown";
}

std::optional<KeyType> keyTypeFromName(std::string_view name) {
  if (name == "account") return KeyType::Account;
  if (name == "component" || name == "module") return KeyType::Component;
  return std::nullopt;
}

Result<PublicKey> PublicKey::parse(std::string_view text, std::optional<KeyType> expected) {
  std::string want = expected ? describePrefix(keyTypeLetter(*expected)) : std::string("public key");
  if (text.empty()) return fail("the {} is empty", want);
  if (text[0] == 'S') return fail("'{:.2}…' is a seed (private key), not a public key; never share seeds", text);
  if (text.size() != kPublicTextLength)
    return fail("a public key has {} characters, '{}' has {}", kPublicTextLength, text, text.size());
  auto raw = decodeWithCrc(text, fmt::format("public key {}", text));
  if (!raw) return fail(std::move(raw.error()));
  auto type = typeFromPrefixByte((*raw)[0]);
  if (!type) return fail("public key {} has an unknown type prefix '{}'", text, text[0]);
  if (expected && *type != *expected)
    return fail("{} is a {}, but {} was expected", text, describePrefix(text[0]), want);
  std::array<uint8_t, 32> bytes;
  std::copy(raw->begin() + 1, raw->end(), bytes.begin());
  return PublicKey(*type, bytes);
}

std::string PublicKey::encode() const {
  std::vector<uint8_t> raw{prefixByte(type_)};
  raw.insert(raw.end(), bytes_.begin(), bytes_.end());
  return encodeWithCrc(std::move(raw));
}

bool PublicKey::verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), bytes_.data()) == 0;
}

KeyPair::KeyPair(KeyType type, const std::array<uint8_t, 32>& seed) : publicKey_(type, {}), seed_(seed) {
  std::array<uint8_t, 32> pk;
  crypto_sign_seed_keypair(pk.data(), secret_.data(), seed_.data());
  publicKey_ = PublicKey(type, pk);
}

KeyPair KeyPair::generate(KeyType type) {
  // Idempotent and thread-safe; it fails only without any entropy source, where keys cannot be made.
  if (sodium_init() < 0) std::abort();
  std::array<uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  KeyPair pair(type, seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

Result<KeyPair> KeyPair::fromSeed(std::string_view encodedSeed) {
  auto isSpace = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!encodedSeed.empty() && isSpace(encodedSeed.front())) encodedSeed.remove_prefix(1);
  while (!encodedSeed.empty() && isSpace(encodedSeed.back())) encodedSeed.remove_suffix(1);
  // Never echo a seed in an error: it is a secret.
  if (encodedSeed.empty()) return fail("the seed is empty (expected 'SA…' or 'SM…' from `pelato keys gen`)");
  if (encodedSeed[0] != 'S') {
    if (encodedSeed.size() == kPublicTextLength)
      return fail("this is a public key ({}), not a seed; pass the seed file `pelato keys gen` wrote",
                  describePrefix(encodedSeed[0]));
    return fail("a seed starts with 'S' (e.g. 'SA…' or 'SM…'); this does not");
  }
  if (encodedSeed.size() != kSeedTextLength)
    return fail("a seed has {} characters, this one has {}", kSeedTextLength, encodedSeed.size());
  auto raw = decodeWithCrc(encodedSeed, "the seed");
  if (!raw) return fail(std::move(raw.error()));
  auto wipe = [&] { sodium_memzero(raw->data(), raw->size()); };
  // Two prefix bytes: 'S' in the top five bits, then the key type's prefix byte across the rest.
  uint8_t seedPrefix = (*raw)[0] & 0xf8;
  uint8_t typeByte = uint8_t((((*raw)[0] & 0x07) << 5) | (((*raw)[1] & 0xf8) >> 3));
  auto type = typeFromPrefixByte(typeByte);
  if (seedPrefix != kSeedPrefix || !type || ((*raw)[1] & 0x07) != 0) {
    wipe();
    return fail("the seed has an unknown type prefix 'S{}'", encodedSeed[1]);
  }
  if (raw->size() != 2 + 32) {
    wipe();
    return fail("the seed does not hold 32 key bytes");
  }
  std::array<uint8_t, 32> seed;
  std::copy(raw->begin() + 2, raw->end(), seed.begin());
  wipe();
  KeyPair pair(*type, seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

KeyPair::KeyPair(KeyPair&& other) noexcept
    : publicKey_(other.publicKey_), seed_(other.seed_), secret_(other.secret_) {
  sodium_memzero(other.seed_.data(), other.seed_.size());
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

KeyPair& KeyPair::operator=(KeyPair&& other) noexcept {
  if (this != &other) {
    publicKey_ = other.publicKey_;
    seed_ = other.seed_;
    secret_ = other.secret_;
    sodium_memzero(other.seed_.data(), other.seed_.size());
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

KeyPair::~KeyPair() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

std::string KeyPair::encodeSeed() const {
  uint8_t typeByte = prefixByte(type());
  std::vector<uint8_t> raw{uint8_t(kSeedPrefix | (typeByte >> 5)), uint8_t((typeByte & 31) << 3)};
  raw.insert(raw.end(), seed_.begin(), seed_.end());
  return encodeWithCrc(std::move(raw));
}

Signature KeyPair::sign(std::span<const uint8_t> message) const {
  Signature signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_.data());
  return signature;
}

}  // namespace pelato::security
