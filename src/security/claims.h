// A component's claims: the JSON payload of the JWT wascap embeds in a module, as plain data.
// Field names and order follow wascap (`Claims<Actor>`): exp, jti, iat, iss, sub, nbf,
// wascap {name, hash, tags, caps, rev, ver, call_alias, prov}, wascap_revision. pelato adds
// wascap.pelato_caps: which `pelato` host-function groups the component may import
// (docs/PROTOCOL.md, "Component claims").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "security/jwt.h"

namespace pelato::security {

// wascap's current internal revision; modules signed with a lower one predate its module hash.
inline constexpr uint32_t kWascapRevision = 3;

struct ComponentClaims {
  std::string id;                      // jti: unique token id
  uint64_t issuedAt = 0;               // iat, seconds since the epoch
  std::string issuer;                  // iss: the signing account's public key (A…)
  std::string subject;                 // sub: the component's public key (M…)
  std::optional<uint64_t> expires;     // exp
  std::optional<uint64_t> notBefore;   // nbf
  std::optional<uint32_t> wascapRevision;
  // wascap metadata
  std::optional<std::string> name;
  std::string moduleHash;              // hash: upper-case hex SHA-256, see computeModuleHash
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> caps;  // wasmCloud capability ids, kept as found
  std::optional<int32_t> revision;     // rev
  std::optional<std::string> version;  // ver
  std::optional<std::string> callAlias;
  bool provider = false;               // prov
  std::vector<std::string> pelatoCaps;  // pelato_caps; absent = no pelato host functions

  bool operator==(const ComponentClaims&) const = default;
};

OrderedJson claimsToJson(const ComponentClaims& claims);

// Strict about the types of the fields it knows (each error names the field), tolerant of
// fields it does not know, as wascap is. Requires jti, iat, iss, sub and wascap.hash.
Result<ComponentClaims> claimsFromJson(const OrderedJson& json);

// A fresh token id: 22 random base62 characters, the shape of the NUIDs wascap uses.
std::string newTokenId();

}  // namespace pelato::security
