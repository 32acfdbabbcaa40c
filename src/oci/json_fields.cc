#include "oci/json_fields.h"

namespace pelato::oci {

Result<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what) {
  auto value = nlohmann::json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return fail("{} is not valid JSON (UTF-8)", what);
  if (!value.is_object()) return fail("{} must be a JSON object, got {}", what, value.type_name());
  return value;
}

Result<std::string> requiredString(const nlohmann::json& object, std::string_view key, std::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) return fail("{}: missing \"{}\"", where, key);
  if (!it->is_string()) return fail("{}: \"{}\" must be a string, got {}", where, key, it->type_name());
  return it->get<std::string>();
}

Result<std::string> optionalString(const nlohmann::json& object, std::string_view key, std::string_view where) {
  if (!object.contains(key)) return std::string();
  return requiredString(object, key, where);
}

Result<uint64_t> requiredSize(const nlohmann::json& object, std::string_view key, std::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) return fail("{}: missing \"{}\"", where, key);
  if (!it->is_number_unsigned())
    return fail("{}: \"{}\" must be a non-negative integer", where, key);
  return it->get<uint64_t>();
}

Result<std::map<std::string, std::string>> optionalStringMap(const nlohmann::json& object, std::string_view key,
                                                             std::string_view where) {
  std::map<std::string, std::string> out;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_object()) return fail("{}: \"{}\" must be an object of strings, got {}", where, key, it->type_name());
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) return fail("{}: \"{}\" entry \"{}\" must be a string", where, key, name);
    out.emplace(name, value.get<std::string>());
  }
  return out;
}

std::string dumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace pelato::oci
