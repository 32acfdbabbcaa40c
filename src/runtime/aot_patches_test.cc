#include "runtime/aot_patches.h"

#include <gtest/gtest.h>

namespace pelato::runtime::aot {
namespace {

// Shaped like wasm2c 1.0.32's output for a module named "m".
constexpr const char* kSample =
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
  patchWasm2cOutput(source, {.explicitBoundsChecks = false});
  EXPECT_NE(source.find("  init_tables(instance);\n  init_memories(instance);\n"), std::string::npos);
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
  patchWasm2cOutput(source, {.explicitBoundsChecks = true});
  EXPECT_EQ(source.find("pelato_memory"), std::string::npos);
  EXPECT_NE(source.find("i32_store(&instance->w2c_memory, "), std::string::npos);
}

}  // namespace
}  // namespace pelato::runtime::aot
