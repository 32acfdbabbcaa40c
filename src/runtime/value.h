// Tier-neutral wasm values and function types, as the engine's users see them.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::runtime {

enum class ValType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

std::string_view toString(ValType type);

// Numeric and vector values. References are opaque to users of the engine.
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;                // i32/i64 and the bit patterns of f32/f64
  std::array<uint8_t, 16> v128{};  // little-endian lanes

  static Value i32(uint32_t v) { return {ValType::I32, v, {}}; }
  static Value i64(uint64_t v) { return {ValType::I64, v, {}}; }
  static Value f32(float v) { return {ValType::F32, std::bit_cast<uint32_t>(v), {}}; }
  static Value f64(double v) { return {ValType::F64, std::bit_cast<uint64_t>(v), {}}; }

  uint32_t asI32() const { return static_cast<uint32_t>(bits); }
  uint64_t asI64() const { return bits; }
  float asF32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
  double asF64() const { return std::bit_cast<double>(bits); }

  bool operator==(const Value&) const = default;
};

// "i32:42", "f64:1.5"; signed decimal for integers.
std::string toString(const Value& value);

// Parses a command-line argument as a value of `type` ("42", "-1", "0x10", "1.5", "nan", "inf").
Result<Value> parseValue(ValType type, std::string_view text);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

// "(i32, i32) -> i64"
std::string toString(const FuncType& type);

}  // namespace pelato::runtime
