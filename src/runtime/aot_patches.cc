#include "runtime/aot_patches.h"

#include <regex>
#include <string_view>

#include <fmt/format.h>

namespace pelato::runtime::aot {

namespace {

// wasm2c 1.0.32 applies data segments before element segments; the spec applies elements
// first, and a failing element segment must leave memory untouched.
void elementsBeforeData(std::string& source) {
  constexpr std::string_view kDataFirst = "  init_memories(instance);\n  init_tables(instance);\n";
  if (auto at = source.find(kDataFirst); at != std::string::npos)
    source.replace(at, kDataFirst.size(), "  init_tables(instance);\n  init_memories(instance);\n");
}

// wasm2c keeps every load alive (so that guard pages catch it) with an empty asm taking the
// value in a general register: two extra moves per float load. Float loads keep theirs in an
// FP register instead (little-endian hosts, which is all pelato builds for).
void floatLoadsInFpRegisters(std::string& source) {
  for (std::string_view type : {"f32", "f64"}) {
    std::string use = fmt::format("DEFINE_LOAD({0}_load, {0}, {0}, {0})", type);
    std::string own = fmt::format(
        "static inline {0} {0}_load(wasm_rt_memory_t* mem, u64 addr) {{ MEMCHECK(mem, addr, {0}); {0} result; "
        "wasm_rt_memcpy(&result, &mem->data[addr], sizeof({0})); PELATO_KEEP_LOADED_FP(result); return result; }}",
        type);
    if (auto at = source.find(use); at != std::string::npos) source.replace(at, use.size(), own);
  }
}

// wasm2c's stores are memcpys into linear memory, which the C compiler must assume may change
// the instance's memory descriptor: it reloads the memory base after every store. pelato's
// memories never move (a fixed reservation grows in place), so each function reads the
// descriptor once into a local that loads and stores use; memory.size, memory.grow and bulk
// operations keep using the instance's own. Only with guard pages: explicit bounds checks
// would read a stale size from the copy after memory.grow.
void memoryBaseInLocals(std::string& source) {
  if (source.find("instance->w2c_memory") == std::string::npos) return;
  static const std::regex access(R"(\b((?:i32|i64|f32|f64)_(?:load|store)(?:8|16|32)?(?:_[su])?)\(&instance->w2c_memory, )");
  source = std::regex_replace(source, access, "$1(&pelato_memory, ");
  constexpr std::string_view kPrologue = "  FUNC_PROLOGUE;\n";
  const std::string local = "  wasm_rt_memory_t pelato_memory = instance->w2c_memory;\n";
  for (auto at = source.find(kPrologue); at != std::string::npos; at = source.find(kPrologue, at)) {
    at += kPrologue.size();
    source.insert(at, local);
  }
}

}  // namespace

void patchWasm2cOutput(std::string& source, const AotPlan& plan) {
  elementsBeforeData(source);
  floatLoadsInFpRegisters(source);
  if (!plan.explicitBoundsChecks) memoryBaseInLocals(source);
}

}  // namespace pelato::runtime::aot
