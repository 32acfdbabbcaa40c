#include "runtime/aot_patches.h"

#include <gtest/gtest.h>

namespace pelato::runtime::aot {
namespace {

// Shaped like wasm2c 1.0.32's output for a module named "m".
constexpr const char* kSample =
    "#if WASM_RT_MEMCHECK_SIGNAL_HANDLER\n"
    "#define MEMCHECK(mem, a, t)\n"
    "#else\n"
    "#define MEMCHECK(mem, a, t) RANGE_CHECK(mem, a, sizeof(t))\n"
    "#endif\n"
    "#define DEFINE_LOAD(name, t1, t2, t3)                      \\\n"
    "  static inline t3 name(wasm_rt_memory_t* mem, u64 addr) { \\\n"
    "    MEMCHECK(mem, addr, t1);                               \\\n"
    "    t1 result;                                             \\\n"
    "    wasm_rt_memcpy(&result, &mem->data[addr], sizeof(t1)); \\\n"
    "    wasm_asm(\"\" ::\"r\"(result));                            \\\n"
    "    return (t3)(t2)result;                                 \\\n"
    "  }\n"
    "DEFINE_LOAD(i32_load, u32, u32, u32)\n"
    "DEFINE_LOAD(f64_load, f64, f64, f64)\n"
    "static u32 w2c_f(Z_m_instance_t* instance, u32 w2c_p0) {\n"
    "  FUNC_PROLOGUE;\n"
    "  i32_store(&instance->w2c_memory, (u64)(w2c_p0), 1u);\n"
    "  w2c_i0 = i32_load8_u(&instance->w2c_memory, (u64)(w2c_p0));\n"
    "  w2c_i1 = wasm_rt_grow_memory(&instance->w2c_memory, w2c_i0);\n"
    "  FUNC_EPILOGUE;\n"
    "}\n"
    "void Z_m_instantiate(Z_m_instance_t* instance) {\n"
    "  init_memories(instance);\n"
    "  init_tables(instance);\n"
    "}\n";

TEST(AotPatches, AppliesEachFixWhereItsPatternIs) {
  std::string source = kSample;
  EXPECT_TRUE(patchWasm2cOutput(source, {.explicitBoundsChecks = false, .farOffsets = true}));
  EXPECT_NE(source.find("  init_tables(instance);\n  init_memories(instance);\n"), std::string::npos);
  // Integer loads pass their value through the keep-alive.
  EXPECT_EQ(source.find("wasm_asm(\"\" ::\"r\"(result));"), std::string::npos);
  EXPECT_NE(source.find("t3 value = (t3)(t2)result; PELATO_KEEP_LOADED(value);                            \\\n"
                        "    return value;"),
            std::string::npos);
  // Guard pages: addresses past the reservation trap.
  EXPECT_NE(source.find("#define MEMCHECK(mem, a, t) \\\n  if (UNLIKELY((u64)(a) > PELATO_GUARDED_BYTES - sizeof(t))) "
                        "TRAP(OOB);\n#else\n"),
            std::string::npos);
  EXPECT_NE(source.find("static inline f64 f64_load("), std::string::npos);
  EXPECT_NE(source.find("DEFINE_LOAD(i32_load, u32, u32, u32)"), std::string::npos);  // integers untouched
  EXPECT_NE(source.find("  FUNC_PROLOGUE;\n  wasm_rt_memory_t pelato_memory = instance->w2c_memory;\n"),
            std::string::npos);
  EXPECT_NE(source.find("i32_store(&pelato_memory, "), std::string::npos);
  EXPECT_NE(source.find("i32_load8_u(&pelato_memory, "), std::string::npos);
  // memory.grow must keep changing the instance's own descriptor.
  EXPECT_NE(source.find("wasm_rt_grow_memory(&instance->w2c_memory, "), std::string::npos);
}

TEST(AotPatches, ExplicitBoundsChecksKeepTheInstanceDescriptor) {
  std::string source = kSample;
  EXPECT_TRUE(patchWasm2cOutput(source, {.explicitBoundsChecks = true, .farOffsets = true}));
  EXPECT_EQ(source.find("pelato_memory"), std::string::npos);
  EXPECT_EQ(source.find("PELATO_GUARDED_BYTES"), std::string::npos);
  EXPECT_NE(source.find("i32_store(&instance->w2c_memory, "), std::string::npos);
}

TEST(AotPatches, GuardRegionLimitOnlyForFarOffsets) {
  std::string source = kSample;
  EXPECT_TRUE(patchWasm2cOutput(source, {.farOffsets = false}));
  EXPECT_EQ(source.find("PELATO_GUARDED_BYTES"), std::string::npos);
}

TEST(AotPatches, FarOffsetsNeedTheGuardRegionLimit) {
  std::string source = kSample;
  source.erase(0, source.find("#define DEFINE_LOAD"));  // no MEMCHECK to patch
  std::string copy = source;
  EXPECT_TRUE(patchWasm2cOutput(copy, {.farOffsets = false}));
  EXPECT_FALSE(patchWasm2cOutput(source, {.farOffsets = true}));
}

TEST(AotPatches, FloatLoadsFeedingAStoreDropTheKeepAlive) {
  std::string source =
      "DEFINE_LOAD(f64_load, f64, f64, f64)\n"
      "static void w2c_f(Z_m_instance_t* instance, u32 w2c_p0) {\n"
      "  FUNC_PROLOGUE;\n"
      "  w2c_d2 = f64_load(&instance->w2c_memory, (u64)(w2c_i2));\n"  // stored: no keep-alive
      "  w2c_d1 *= w2c_d2;\n"
      "  w2c_i2 = w2c_l14;\n"
      "  w2c_d2 = f64_load(&instance->w2c_memory, (u64)(w2c_i2) + 8u);\n"  // stored too
      "  w2c_d1 += w2c_d2;\n"
      "  f64_store(&instance->w2c_memory, (u64)(w2c_i0), w2c_d1);\n"
      "  w2c_d0 = f64_load(&instance->w2c_memory, (u64)(w2c_i0));\n"  // only compared: kept alive
      "  w2c_i0 = w2c_d0 < w2c_d1;\n"
      "  if (w2c_i0) {goto w2c_B0;}\n"
      "  f64_store(&instance->w2c_memory, (u64)(w2c_i0), w2c_d0);\n"
      "  w2c_d0 = f64_load(&instance->w2c_memory, (u64)(w2c_i0));\n"  // overwritten: kept alive
      "  w2c_d0 = 1;\n"
      "  f64_store(&instance->w2c_memory, (u64)(w2c_i0), w2c_d0);\n"
      "  w2c_d0 = f64_load(&instance->w2c_memory, (u64)(w2c_i0));\n"  // into a call: kept alive
      "  w2c_d0 = wasm_fabs(w2c_d0);\n"
      "  f64_store(&instance->w2c_memory, (u64)(w2c_i0), w2c_d0);\n"
      "  FUNC_EPILOGUE;\n"
      "}\n";
  const std::string source0 = source;
  ASSERT_TRUE(patchWasm2cOutput(source, {.explicitBoundsChecks = true}));
  EXPECT_NE(source.find("static inline f64 f64_load_stored("), std::string::npos);
  EXPECT_NE(source.find("  w2c_d2 = f64_load_stored(&instance->w2c_memory, (u64)(w2c_i2));\n"), std::string::npos);
  EXPECT_NE(source.find("  w2c_d2 = f64_load_stored(&instance->w2c_memory, (u64)(w2c_i2) + 8u);\n"), std::string::npos);
  size_t kept = 0;
  for (auto at = source.find("= f64_load(&"); at != std::string::npos; at = source.find("= f64_load(&", at + 1)) ++kept;
  EXPECT_EQ(kept, 3u);
  // With guard pages they read the function's copy of the descriptor like every other access.
  std::string guarded = source0;
  ASSERT_TRUE(patchWasm2cOutput(guarded, {}));
  EXPECT_NE(guarded.find("  w2c_d2 = f64_load_stored(&pelato_memory, (u64)(w2c_i2));\n"), std::string::npos);
  EXPECT_EQ(guarded.find("_stored(&instance->"), std::string::npos);
}

// wasm2c 1.0.32's element-segment support for a module "m" that imports ex.f and puts it
// into a table next to its own function w2c_f1 and a null.
constexpr const char* kElemSample =
    "typedef struct {\n"
    "  uint32_t func_type_index;\n"
    "  wasm_rt_function_ptr_t func;\n"
    "  size_t module_offset;\n"
    "} wasm_elem_segment_expr_t;\n"
    "\n"
    "static inline void funcref_table_init(wasm_rt_funcref_table_t* dest,\n"
    "                                      const wasm_elem_segment_expr_t* src,\n"
    "                                      void* module_instance,\n"
    "                                      const u32* func_types) {\n"
    "  for (u32 i = 0; i < n; i++) {\n"
    "    const wasm_elem_segment_expr_t* src_expr = &src[src_addr + i];\n"
    "    dest->data[dest_addr + i] = (wasm_rt_funcref_t){\n"
    "        func_types[src_expr->func_type_index], src_expr->func,\n"
    "        (char*)module_instance + src_expr->module_offset};\n"
    "  }\n"
    "}\n"
    "static const wasm_elem_segment_expr_t elem_segment_exprs_w2c_e0[] = {\n"
    "  {0, (wasm_rt_function_ptr_t)Z_exZ_f, offsetof(Z_m_instance_t, Z_ex_instance)},\n"
    "  {0, (wasm_rt_function_ptr_t)&w2c_f1, 0},\n"
    "  {0, NULL, 0},\n"
    "};\n";

TEST(AotPatches, ImportedFunctionsInTablesGetTheirContextNotItsAddress) {
  std::string source = kElemSample;
  ASSERT_TRUE(patchWasm2cOutput(source, {.explicitBoundsChecks = true}));
  EXPECT_NE(source.find("  size_t module_offset;\n  bool pelato_imported;"), std::string::npos);
  EXPECT_NE(source.find("        src_expr->pelato_imported\n"
                        "            ? *(void**)((char*)module_instance + src_expr->module_offset)\n"
                        "            : (char*)module_instance + src_expr->module_offset};\n"),
            std::string::npos);
  EXPECT_NE(source.find("  {0, (wasm_rt_function_ptr_t)Z_exZ_f, offsetof(Z_m_instance_t, Z_ex_instance), true},\n"),
            std::string::npos);
  // Defined functions (the instance itself) and nulls stay as they are.
  EXPECT_NE(source.find("  {0, (wasm_rt_function_ptr_t)&w2c_f1, 0},\n"), std::string::npos);
  EXPECT_NE(source.find("  {0, NULL, 0},\n"), std::string::npos);
}

TEST(AotPatches, ImportedFunctionsInTablesNeedTheTableInit) {
  // Without imported entries there is nothing to change.
  std::string local = kElemSample;
  local.erase(local.find("  {0, (wasm_rt_function_ptr_t)Z_exZ_f"), local.find("  {0, (wasm_rt_function_ptr_t)&w2c_f1") -
                                                                       local.find("  {0, (wasm_rt_function_ptr_t)Z_exZ_f"));
  const std::string local0 = local;
  ASSERT_TRUE(patchWasm2cOutput(local, {.explicitBoundsChecks = true}));
  EXPECT_EQ(local, local0);
  // With them, a table init of another shape is refused rather than left wrong.
  std::string source = kElemSample;
  source.replace(source.find("(char*)module_instance + src_expr"), 6, "(u8*) ");
  EXPECT_FALSE(patchWasm2cOutput(source, {.explicitBoundsChecks = true}));
}

}  // namespace
}  // namespace pelato::runtime::aot
