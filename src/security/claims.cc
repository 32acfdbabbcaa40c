#include "security/claims.h"

#include <sodium.h>

#include <cstdlib>

namespace pelato::security {

namespace {

// Reads one optional member, checking its type; a JSON null counts as absent, as in serde.
class FieldReader {
 public:
  FieldReader(const OrderedJson& object, std::string path) : object_(object), path_(std::move(path)) {}

  const OrderedJson* find(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  std::string where(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

  Result<std::optional<std::string>> string(const char* key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) return fail("claims field \"{}\" must be a string", where(key));
    return v->get<std::string>();
  }
  Result<std::optional<uint64_t>> unsignedNumber(const char* key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    // Parsed JSON holds non-negative integers as unsigned; JSON built in code may hold them signed.
    bool nonNegative = v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0);
    if (!nonNegative) return fail("claims field \"{}\" must be a whole number >= 0", where(key));
    return v->get<uint64_t>();
  }
  Result<std::optional<int32_t>> int32(const char* key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_number_unsigned() && v->get<uint64_t>() <= uint64_t(INT32_MAX)) return int32_t(v->get<uint64_t>());
    if (v->is_number_integer() && !v->is_number_unsigned() && v->get<int64_t>() >= INT32_MIN &&
        v->get<int64_t>() <= INT32_MAX)
      return int32_t(v->get<int64_t>());
    return fail("claims field \"{}\" must be a 32-bit integer", where(key));
  }
  Result<std::optional<bool>> boolean(const char* key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) return fail("claims field \"{}\" must be true or false", where(key));
    return v->get<bool>();
  }
  Result<std::optional<std::vector<std::string>>> strings(const char* key) const {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) return fail("claims field \"{}\" must be a list of strings", where(key));
    std::vector<std::string> out;
    for (const auto& item : *v) {
      if (!item.is_string()) return fail("claims field \"{}\" must be a list of strings", where(key));
      out.push_back(item.get<std::string>());
    }
    return out;
  }

 private:
  const OrderedJson& object_;
  std::string path_;
};

// Assigns a successfully read optional member, or returns its error.
#define PELATO_READ(target, expr)                  \
  do {                                             \
    auto value_ = (expr);                          \
    if (!value_) return fail(std::move(value_.error())); \
    target = std::move(*value_);                   \
  } while (0)

template <typename T>
Result<T> required(Result<std::optional<T>> value, std::string_view field) {
  if (!value) return fail(std::move(value.error()));
  if (!*value) return fail("claims have no \"{}\" field", field);
  return std::move(**value);
}

}  // namespace

OrderedJson claimsToJson(const ComponentClaims& c) {
  OrderedJson meta = OrderedJson::object();
  if (c.name) meta["name"] = *c.name;
  meta["hash"] = c.moduleHash;
  if (c.tags) meta["tags"] = *c.tags;
  if (c.caps) meta["caps"] = *c.caps;
  if (c.revision) meta["rev"] = *c.revision;
  if (c.version) meta["ver"] = *c.version;
  if (c.callAlias) meta["call_alias"] = *c.callAlias;
  meta["prov"] = c.provider;
  if (!c.pelatoCaps.empty()) meta["pelato_caps"] = c.pelatoCaps;

  OrderedJson json = OrderedJson::object();
  if (c.expires) json["exp"] = *c.expires;
  json["jti"] = c.id;
  json["iat"] = c.issuedAt;
  json["iss"] = c.issuer;
  json["sub"] = c.subject;
  if (c.notBefore) json["nbf"] = *c.notBefore;
  json["wascap"] = std::move(meta);
  if (c.wascapRevision) json["wascap_revision"] = *c.wascapRevision;
  return json;
}

Result<ComponentClaims> claimsFromJson(const OrderedJson& json) {
  if (!json.is_object()) return fail("claims must be a JSON object");
  FieldReader top(json, "");
  ComponentClaims c;
  PELATO_READ(c.id, required(top.string("jti"), "jti"));
  PELATO_READ(c.issuedAt, required(top.unsignedNumber("iat"), "iat"));
  PELATO_READ(c.issuer, required(top.string("iss"), "iss"));
  PELATO_READ(c.subject, required(top.string("sub"), "sub"));
  PELATO_READ(c.expires, top.unsignedNumber("exp"));
  PELATO_READ(c.notBefore, top.unsignedNumber("nbf"));
  std::optional<uint64_t> revision;
  PELATO_READ(revision, top.unsignedNumber("wascap_revision"));
  if (revision) {
    if (*revision > UINT32_MAX) return fail("claims field \"wascap_revision\" is out of range");
    c.wascapRevision = uint32_t(*revision);
  }

  const auto* meta = top.find("wascap");
  if (!meta) return fail("claims have no \"wascap\" object: these are not component claims");
  if (!meta->is_object()) return fail("claims field \"wascap\" must be an object");
  FieldReader m(*meta, "wascap");
  PELATO_READ(c.name, m.string("name"));
  PELATO_READ(c.moduleHash, required(m.string("hash"), "wascap.hash"));
  PELATO_READ(c.tags, m.strings("tags"));
  PELATO_READ(c.caps, m.strings("caps"));
  PELATO_READ(c.revision, m.int32("rev"));
  PELATO_READ(c.version, m.string("ver"));
  PELATO_READ(c.callAlias, m.string("call_alias"));
  std::optional<bool> provider;
  PELATO_READ(provider, m.boolean("prov"));
  c.provider = provider.value_or(false);
  std::optional<std::vector<std::string>> pelatoCaps;
  PELATO_READ(pelatoCaps, m.strings("pelato_caps"));
  c.pelatoCaps = std::move(pelatoCaps).value_or(std::vector<std::string>{});
  return c;
}

#undef PELATO_READ

std::string newTokenId() {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (sodium_init() < 0) std::abort();  // idempotent; fails only without any entropy source
  std::string id(22, '0');
  for (char& ch : id) ch = kDigits[randombytes_uniform(62)];
  return id;
}

}  // namespace pelato::security
