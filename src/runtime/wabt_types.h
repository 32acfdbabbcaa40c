// Conversions between libwabt's interpreter types and the engine's own.
#pragma once

#include <wabt/interp/interp.h>

#include "runtime/value.h"

namespace pelato::runtime {

ValType fromWabt(wabt::Type type);
FuncType fromWabt(const wabt::interp::FuncType& type);
wabt::interp::Value toWabt(const Value& value);
Value fromWabt(wabt::Type type, const wabt::interp::Value& value);
// Raw 64-bit slot used by host functions (floats as bit patterns).
uint64_t toSlot(wabt::Type type, const wabt::interp::Value& value);
wabt::interp::Value fromSlot(wabt::Type type, uint64_t slot);

}  // namespace pelato::runtime
