#include "lattice/json_reader.h"

#include <fmt/format.h>

#include <cmath>

namespace pelato::lattice {
namespace {

// Records the first syntax error nlohmann reports; it never throws when used with sax_parse.
struct ErrorCollector : nlohmann::json_sax<Json> {
  std::size_t position = 0;
  std::string reason;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string&,
                   const nlohmann::detail::exception& e) override {
    position = pos;
    reason = e.what();
    return false;
  }
};

}  // namespace

Result<Json> parseJson(std::string_view text) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_discarded()) return value;
  ErrorCollector errors;
  Json::sax_parse(text, &errors);
  // nlohmann's reason reads "[json.exception.parse_error.101] parse error at line 1, column 9: ..."
  std::string reason = errors.reason;
  if (auto colon = reason.find("] "); colon != std::string::npos) reason = reason.substr(colon + 2);
  return fail("not valid JSON ({}): {}",
              text.empty() ? "empty message" : fmt::format("byte {}", errors.position),
              reason.empty() ? "syntax error" : reason);
}

std::string dumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string describeJson(const Json& value) {
  std::string text = dumpJson(value);
  return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

Result<JsonObject> JsonObject::of(const Json& value, std::string path) {
  if (!value.is_object())
    return fail("{}expected an object, got {}", path.empty() ? "" : path + ": ",
                describeJson(value));
  return JsonObject(&value, std::move(path));
}

std::string JsonObject::pathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

const Json* JsonObject::find(std::string_view key) const {
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonObject::has(std::string_view key) const { return find(key) != nullptr; }

Result<std::string> JsonObject::requiredString(std::string_view key) const {
  const Json* v = find(key);
  if (!v) return fail("{}: missing", pathOf(key));
  if (!v->is_string()) return fail("{}: expected a string, got {}", pathOf(key), describeJson(*v));
  return v->get_ref<const std::string&>();
}

Result<std::string> JsonObject::string(std::string_view key, std::string fallback) const {
  if (!has(key)) return fallback;
  return requiredString(key);
}

Result<std::optional<std::string>> JsonObject::optionalString(std::string_view key) const {
  if (!has(key)) return std::optional<std::string>{};
  auto s = requiredString(key);
  if (!s) return fail(std::move(s.error()));
  return std::optional<std::string>(std::move(*s));
}

Result<uint64_t> JsonObject::toUnsigned(std::string_view key, const Json& v, uint64_t max) const {
  uint64_t n = 0;
  if (v.is_number_unsigned()) {
    n = v.get<uint64_t>();
  } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
    n = static_cast<uint64_t>(v.get<int64_t>());
  } else {
    return fail("{}: expected a non-negative integer, got {}", pathOf(key), describeJson(v));
  }
  if (n > max) return fail("{}: {} is too large (at most {})", pathOf(key), n, max);
  return n;
}

Result<uint64_t> JsonObject::requiredUnsigned(std::string_view key, uint64_t max) const {
  const Json* v = find(key);
  if (!v) return fail("{}: missing", pathOf(key));
  return toUnsigned(key, *v, max);
}

Result<uint64_t> JsonObject::unsignedOr(std::string_view key, uint64_t fallback,
                                        uint64_t max) const {
  const Json* v = find(key);
  if (!v) return fallback;
  return toUnsigned(key, *v, max);
}

Result<std::optional<uint64_t>> JsonObject::optionalUnsigned(std::string_view key,
                                                             uint64_t max) const {
  const Json* v = find(key);
  if (!v) return std::optional<uint64_t>{};
  auto n = toUnsigned(key, *v, max);
  if (!n) return fail(std::move(n.error()));
  return std::optional<uint64_t>(*n);
}

Result<int64_t> JsonObject::integerOr(std::string_view key, int64_t fallback) const {
  const Json* v = find(key);
  if (!v) return fallback;
  if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
    return fail("{}: {} is too large", pathOf(key), describeJson(*v));
  if (!v->is_number_integer())
    return fail("{}: expected an integer, got {}", pathOf(key), describeJson(*v));
  return v->get<int64_t>();
}

Result<double> JsonObject::nonNegativeNumberOr(std::string_view key, double fallback) const {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number()) return fail("{}: expected a number, got {}", pathOf(key), describeJson(*v));
  double d = v->get<double>();
  if (!std::isfinite(d) || d < 0)
    return fail("{}: expected a non-negative number, got {}", pathOf(key), describeJson(*v));
  return d;
}

Result<bool> JsonObject::boolOr(std::string_view key, bool fallback) const {
  const Json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean())
    return fail("{}: expected true or false, got {}", pathOf(key), describeJson(*v));
  return v->get<bool>();
}

Result<StringMap> JsonObject::stringMap(std::string_view key) const {
  StringMap out;
  const Json* v = find(key);
  if (!v) return out;
  if (!v->is_object())
    return fail("{}: expected an object of strings, got {}", pathOf(key), describeJson(*v));
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string())
      return fail("{}.{}: expected a string, got {}", pathOf(key), k, describeJson(item));
    out.emplace(k, item.get_ref<const std::string&>());
  }
  return out;
}

Result<std::optional<StringMap>> JsonObject::optionalStringMap(std::string_view key) const {
  if (!has(key)) return std::optional<StringMap>{};
  auto m = stringMap(key);
  if (!m) return fail(std::move(m.error()));
  return std::optional<StringMap>(std::move(*m));
}

Result<std::vector<std::string>> JsonObject::stringList(std::string_view key) const {
  std::vector<std::string> out;
  const Json* v = find(key);
  if (!v) return out;
  if (!v->is_array())
    return fail("{}: expected an array of strings, got {}", pathOf(key), describeJson(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string())
      return fail("{}[{}]: expected a string, got {}", pathOf(key), i, describeJson(item));
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<std::string>> JsonObject::requiredStringList(std::string_view key) const {
  if (!has(key)) return fail("{}: missing", pathOf(key));
  return stringList(key);
}

Result<std::optional<std::vector<std::string>>> JsonObject::optionalStringList(
    std::string_view key) const {
  if (!has(key)) return std::optional<std::vector<std::string>>{};
  auto l = stringList(key);
  if (!l) return fail(std::move(l.error()));
  return std::optional<std::vector<std::string>>(std::move(*l));
}

Result<JsonObject> JsonObject::requiredObject(std::string_view key) const {
  const Json* v = find(key);
  if (!v) return fail("{}: missing", pathOf(key));
  return of(*v, pathOf(key));
}

Result<std::optional<JsonObject>> JsonObject::optionalObject(std::string_view key) const {
  if (!has(key)) return std::optional<JsonObject>{};
  auto o = requiredObject(key);
  if (!o) return fail(std::move(o.error()));
  return std::optional<JsonObject>(*o);
}

Result<std::vector<JsonObject>> JsonObject::objectList(std::string_view key) const {
  std::vector<JsonObject> out;
  const Json* v = find(key);
  if (!v) return out;
  if (!v->is_array()) return fail("{}: expected an array, got {}", pathOf(key), describeJson(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    auto o = of((*v)[i], fmt::format("{}[{}]", pathOf(key), i));
    if (!o) return fail(std::move(o.error()));
    out.push_back(*o);
  }
  return out;
}

}  // namespace pelato::lattice
