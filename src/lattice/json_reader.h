// Reading protocol messages without exceptions. nlohmann::json throws on type mismatches; these
// helpers check every type first and fail with the field's path and what was wrong:
// "components[2].max_instances: expected a non-negative integer, got -1". Unknown fields are
// ignored (the protocol grows by adding fields).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::lattice {

using Json = nlohmann::json;
using StringMap = std::map<std::string, std::string>;

// Parses JSON text; the error gives the byte offset and the reason.
Result<Json> parseJson(std::string_view text);

// Compact JSON text. Invalid UTF-8 in strings becomes U+FFFD instead of throwing.
std::string dumpJson(const Json& value);

// A JSON object inside a message, with its path for error messages. Borrows the Json value: the
// value must outlive the JsonObject.
class JsonObject {
 public:
  // Fails unless `value` is an object. `path` is where it sits ("" for the message itself).
  static Result<JsonObject> of(const Json& value, std::string path = {});

  const std::string& path() const { return path_; }
  const Json& json() const { return *value_; }
  // The path of a field: "key" at the top, "data.key" or "components[2].key" below.
  std::string pathOf(std::string_view key) const;

  // Present and not null (null counts as absent everywhere, like an unset optional).
  bool has(std::string_view key) const;
  // The raw value, or nullptr if absent or null.
  const Json* find(std::string_view key) const;

  Result<std::string> requiredString(std::string_view key) const;
  Result<std::string> string(std::string_view key, std::string fallback = {}) const;
  Result<std::optional<std::string>> optionalString(std::string_view key) const;

  // Non-negative integers, at most `max` (floats like 1.5 and negative numbers are refused).
  Result<uint64_t> requiredUnsigned(std::string_view key,
                                    uint64_t max = std::numeric_limits<uint64_t>::max()) const;
  Result<uint64_t> unsignedOr(std::string_view key, uint64_t fallback,
                              uint64_t max = std::numeric_limits<uint64_t>::max()) const;
  Result<std::optional<uint64_t>> optionalUnsigned(
      std::string_view key, uint64_t max = std::numeric_limits<uint64_t>::max()) const;
  // Any integer, negative ones too.
  Result<int64_t> integerOr(std::string_view key, int64_t fallback) const;
  // Any finite number that is not negative.
  Result<double> nonNegativeNumberOr(std::string_view key, double fallback) const;

  Result<bool> boolOr(std::string_view key, bool fallback) const;

  // An object of string values ({"zone": "edge"}); absent means empty.
  Result<StringMap> stringMap(std::string_view key) const;
  Result<std::optional<StringMap>> optionalStringMap(std::string_view key) const;
  // An array of strings; absent means empty.
  Result<std::vector<std::string>> stringList(std::string_view key) const;
  Result<std::vector<std::string>> requiredStringList(std::string_view key) const;
  Result<std::optional<std::vector<std::string>>> optionalStringList(std::string_view key) const;

  Result<JsonObject> requiredObject(std::string_view key) const;
  Result<std::optional<JsonObject>> optionalObject(std::string_view key) const;
  // Every element of an array of objects ("components[3]"); absent means empty.
  Result<std::vector<JsonObject>> objectList(std::string_view key) const;

 private:
  JsonObject(const Json* value, std::string path) : value_(value), path_(std::move(path)) {}
  Result<uint64_t> toUnsigned(std::string_view key, const Json& v, uint64_t max) const;

  const Json* value_;
  std::string path_;
};

// Keeps the first failure of a series of reads, so that a parser reads field after field and
// checks once at the end:
//   FirstError error;
//   host.id = error.take(object.requiredString("id"));
//   host.labels = error.take(object.stringMap("labels"));
//   if (error) return fail(error.release());
class FirstError {
 public:
  template <typename T>
  T take(Result<T> result) {
    if (result) return std::move(*result);
    if (!error_) error_.emplace(std::move(result.error()));
    return T{};
  }
  void record(Error error) {
    if (!error_) error_.emplace(std::move(error));
  }
  explicit operator bool() const { return error_.has_value(); }
  Error release() { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

// A value shown in an error message: compact JSON, cut after 60 characters.
std::string describeJson(const Json& value);

// Reads a whole message of type T from JSON text, T::fromJson(const Json&) doing the checking.
template <typename T>
Result<T> decode(std::string_view text) {
  auto json = parseJson(text);
  if (!json) return fail(std::move(json.error()));
  return T::fromJson(*json);
}

// The JSON text of a message, from T::toJson().
template <typename T>
std::string encode(const T& message) {
  return dumpJson(message.toJson());
}

}  // namespace pelato::lattice
