#include "runtime/wabt_types.h"

#include <cstring>

namespace pelato::runtime {

namespace wi = wabt::interp;

ValType fromWabt(wabt::Type type) {
  switch (type) {
    case wabt::Type::I32: return ValType::I32;
    case wabt::Type::I64: return ValType::I64;
    case wabt::Type::F32: return ValType::F32;
    case wabt::Type::F64: return ValType::F64;
    case wabt::Type::V128: return ValType::V128;
    case wabt::Type::FuncRef: return ValType::FuncRef;
    default: return ValType::ExternRef;
  }
}

FuncType fromWabt(const wi::FuncType& type) {
  FuncType out;
  for (auto t : type.params) out.params.push_back(fromWabt(t));
  for (auto t : type.results) out.results.push_back(fromWabt(t));
  return out;
}

wi::Value toWabt(const Value& value) {
  switch (value.type) {
    case ValType::I32: return wi::Value::Make(value.asI32());
    case ValType::I64: return wi::Value::Make(value.asI64());
    case ValType::F32: return wi::Value::Make(value.asF32());
    case ValType::F64: return wi::Value::Make(value.asF64());
    case ValType::V128: {
      ::v128 v;
      std::memcpy(&v, value.v128.data(), 16);
      return wi::Value::Make(v);
    }
    default: return wi::Value::Make(wi::Ref::Null);
  }
}

Value fromWabt(wabt::Type type, const wi::Value& value) {
  Value out;
  out.type = fromWabt(type);
  switch (out.type) {
    case ValType::I32: out.bits = value.Get<wi::u32>(); break;
    case ValType::I64: out.bits = value.Get<wi::u64>(); break;
    case ValType::F32: out.bits = std::bit_cast<uint32_t>(value.Get<float>()); break;
    case ValType::F64: out.bits = std::bit_cast<uint64_t>(value.Get<double>()); break;
    case ValType::V128: {
      auto v = value.Get<::v128>();
      std::memcpy(out.v128.data(), &v, 16);
      break;
    }
    default: out.bits = value.Get<wi::Ref>().index; break;
  }
  return out;
}

uint64_t toSlot(wabt::Type type, const wi::Value& value) { return fromWabt(type, value).bits; }

wi::Value fromSlot(wabt::Type type, uint64_t slot) {
  switch (type) {
    case wabt::Type::I32: return wi::Value::Make(static_cast<wi::u32>(slot));
    case wabt::Type::F32: return wi::Value::Make(std::bit_cast<float>(static_cast<uint32_t>(slot)));
    case wabt::Type::F64: return wi::Value::Make(std::bit_cast<double>(slot));
    default: return wi::Value::Make(static_cast<wi::u64>(slot));
  }
}

}  // namespace pelato::runtime
