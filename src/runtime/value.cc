#include "runtime/value.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace pelato::runtime {

std::string_view toString(ValType type) {
  switch (type) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

std::string toString(const Value& value) {
  switch (value.type) {
    case ValType::I32: return fmt::format("i32:{}", static_cast<int32_t>(value.asI32()));
    case ValType::I64: return fmt::format("i64:{}", static_cast<int64_t>(value.asI64()));
    case ValType::F32: return fmt::format("f32:{}", value.asF32());
    case ValType::F64: return fmt::format("f64:{}", value.asF64());
    case ValType::V128: {
      std::string hex = "v128:0x";
      for (int i = 15; i >= 0; --i) hex += fmt::format("{:02x}", value.v128[static_cast<size_t>(i)]);
      return hex;
    }
    default: return std::string(toString(value.type));
  }
}

namespace {

template <typename T>
Result<T> parseInteger(std::string_view text) {
  using U = std::make_unsigned_t<T>;
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  int base = 10;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  U magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return fail("'{}' is not an integer", text);
  return static_cast<T>(negative ? U(0) - magnitude : magnitude);
}

template <typename F>
Result<F> parseFloat(std::string_view text) {
  std::string s(text);
  if (s == "nan") return std::numeric_limits<F>::quiet_NaN();
  if (s == "-nan") return -std::numeric_limits<F>::quiet_NaN();
  char* end = nullptr;
  F v = std::is_same_v<F, float> ? std::strtof(s.c_str(), &end) : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return fail("'{}' is not a number", text);
  return v;
}

}  // namespace

Result<Value> parseValue(ValType type, std::string_view text) {
  switch (type) {
    case ValType::I32: {
      auto v = parseInteger<uint32_t>(text);
      if (!v) return fail(std::move(v.error()));
      return Value::i32(*v);
    }
    case ValType::I64: {
      auto v = parseInteger<uint64_t>(text);
      if (!v) return fail(std::move(v.error()));
      return Value::i64(*v);
    }
    case ValType::F32: {
      auto v = parseFloat<float>(text);
      if (!v) return fail(std::move(v.error()));
      return Value::f32(*v);
    }
    case ValType::F64: {
      auto v = parseFloat<double>(text);
      if (!v) return fail(std::move(v.error()));
      return Value::f64(*v);
    }
    default: return fail("arguments of type {} cannot be given on the command line", toString(type));
  }
}

std::string toString(const FuncType& type) {
  auto list = [](const std::vector<ValType>& types) {
    std::string s;
    for (size_t i = 0; i < types.size(); ++i) s += fmt::format("{}{}", i ? ", " : "", toString(types[i]));
    return s;
  };
  return fmt::format("({}) -> ({})", list(type.params), list(type.results));
}

}  // namespace pelato::runtime
