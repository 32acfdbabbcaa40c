#include "runtime/aot_support.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/ir.h>

#include "runtime/aot_rt.h"

namespace pelato::runtime::aot {

namespace {

uint64_t maxOffset(const wabt::ExprList& exprs) {
  uint64_t max = 0;
  for (const auto& e : exprs) {
    if (auto* load = wabt::dyn_cast<wabt::LoadExpr>(&e)) max = std::max<uint64_t>(max, load->offset);
    else if (auto* store = wabt::dyn_cast<wabt::StoreExpr>(&e)) max = std::max<uint64_t>(max, store->offset);
    else if (auto* block = wabt::dyn_cast<wabt::BlockExpr>(&e)) max = std::max(max, maxOffset(block->block.exprs));
    else if (auto* loop = wabt::dyn_cast<wabt::LoopExpr>(&e)) max = std::max(max, maxOffset(loop->block.exprs));
    else if (auto* branch = wabt::dyn_cast<wabt::IfExpr>(&e))
      max = std::max({max, maxOffset(branch->true_.exprs), maxOffset(branch->false_)});
  }
  return max;
}

bool readsWith(const Module& module, const wabt::Features& features, wabt::Module* out) {
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(features, nullptr, false, true, false);
  const auto& bytes = module.bytes();
  return wabt::Succeeded(wabt::ReadBinaryIr("module", bytes.data(), bytes.size(), options, &errors, out));
}

}  // namespace

Result<AotPlan> planAot(const Module& module) {
  wabt::Features noSimd;
  noSimd.disable_simd();
  wabt::Module ir;
  if (!readsWith(module, noSimd, &ir))
    return fail("the module uses SIMD (the fixed-width SIMD proposal), which wasm2c 1.0.32 cannot translate; "
                "it runs on the interpreter tier (--tier interp or auto)");
  uint64_t offset = 0;
  for (const wabt::Func* f : ir.funcs) offset = std::max(offset, maxOffset(f->exprs));
  return AotPlan{.farOffsets = offset + 16 > kGuardBytes};
}

}  // namespace pelato::runtime::aot
