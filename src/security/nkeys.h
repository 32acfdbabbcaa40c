// Ed25519 keys in NATS nkeys encoding, as wasmCloud uses them for claims: a public key is
// base32(prefix byte + 32-byte key + CRC-16/XMODEM little-endian), 56 characters starting with
// the type's letter (account 'A', component/module 'M', ...); a seed is
// base32(two prefix bytes + 32-byte seed + CRC), 58 characters starting with 'S' and the type's
// letter ("SA…", "SM…"). Keys are Ed25519 from libsodium.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::security {

// The nkeys types pelato knows. wasmCloud signs components with an Account key as issuer and a
// Module key ("component" here) as subject; the others decode so that errors can name them.
enum class KeyType { Account, Component, User, Server, Operator, Cluster };

char keyTypeLetter(KeyType type);
std::string_view keyTypeName(KeyType type);  // "account", "component", ...
// "account" or "component" (as the CLI spells them); nullopt for anything else.
std::optional<KeyType> keyTypeFromName(std::string_view name);

using Signature = std::array<uint8_t, 64>;

class PublicKey {
 public:
  PublicKey(KeyType type, const std::array<uint8_t, 32>& bytes) : type_(type), bytes_(bytes) {}

  // Checks length, alphabet, CRC and prefix; with `expected`, also the type ("an account key
  // (A…) was expected, this is a component key (M…)").
  static Result<PublicKey> parse(std::string_view text, std::optional<KeyType> expected = std::nullopt);

  KeyType type() const { return type_; }
  const std::array<uint8_t, 32>& bytes() const { return bytes_; }
  std::string encode() const;
  bool verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

  bool operator==(const PublicKey&) const = default;

 private:
  KeyType type_;
  std::array<uint8_t, 32> bytes_;
};

// A key pair that can sign. The secret is wiped on destruction; it is move-only so that it is
// not copied around by accident.
class KeyPair {
 public:
  static KeyPair generate(KeyType type);
  // An encoded seed ("SA…", "SM…"); surrounding whitespace (a trailing newline) is ignored.
  static Result<KeyPair> fromSeed(std::string_view encodedSeed);

  KeyPair(KeyPair&& other) noexcept;
  KeyPair& operator=(KeyPair&& other) noexcept;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair();

  KeyType type() const { return publicKey_.type(); }
  const PublicKey& publicKey() const { return publicKey_; }
  std::string encodeSeed() const;
  Signature sign(std::span<const uint8_t> message) const;

 private:
  KeyPair(KeyType type, const std::array<uint8_t, 32>& seed);

  PublicKey publicKey_;
  std::array<uint8_t, 32> seed_{};
  std::array<uint8_t, 64> secret_{};  // libsodium's expanded form: seed followed by public key
};

}  // namespace pelato::security
