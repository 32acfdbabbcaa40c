// Exception-free reading of JSON fields with errors that name the field (pure). oci depends on
// common only, so it cannot use lattice's JSON reader; this is the little it needs.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::oci {

// Parses without exceptions; a syntax error says so (nlohmann gives no position without them).
Result<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what);

// A required or optional string member; `where` names the enclosing object in errors.
Result<std::string> requiredString(const nlohmann::json& object, std::string_view key, std::string_view where);
Result<std::string> optionalString(const nlohmann::json& object, std::string_view key, std::string_view where);
// A required non-negative integer member.
Result<uint64_t> requiredSize(const nlohmann::json& object, std::string_view key, std::string_view where);
// An optional object of string values.
Result<std::map<std::string, std::string>> optionalStringMap(const nlohmann::json& object, std::string_view key,
                                                             std::string_view where);

// dump() that cannot throw: invalid UTF-8 is replaced rather than reported.
std::string dumpJson(const nlohmann::ordered_json& value);

}  // namespace pelato::oci
