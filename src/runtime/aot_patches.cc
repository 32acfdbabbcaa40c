#include "runtime/aot_patches.h"

#include <cctype>
#include <regex>
#include <string_view>
#include <vector>

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

// Float loads whose value provably ends up in a store need no keep-alive: the C compiler
// cannot drop a load that a store depends on, and IEEE arithmetic (no -ffast-math) never
// folds a value away. The asm costs an extra register move and blocks folding the load into
// the arithmetic (bench matmul: 0.87x -> 0.80x native). The proof is local and
// conservative: from `w2c_dN = f64_load(...);` on, straight-line statements (no label, goto,
// brace or call) carry the value through `a op= b` (+ - * /) into the value operand of an
// f32/f64 store; anything else (the value overwritten, control flow, an unknown statement)
// keeps the keep-alive. (A store that dead-store elimination removes takes the load with it;
// clang-optimised wasm has no such stores, and a missed trap there is not a memory-safety
// issue: a load that is not executed accesses nothing.)

bool isVar(std::string_view v) {
  if (!v.starts_with("w2c_")) return false;
  for (char c : v.substr(4))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return v.size() > 4;
}

std::string_view trim(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

// `w2c_dN = f64_load(&...);` -> the variable, else empty.
std::string_view floatLoadTarget(std::string_view line) {
  auto eq = line.find(" = f");
  if (eq == std::string_view::npos) return {};
  std::string_view var = line.substr(0, eq), call = line.substr(eq + 3);
  if (!isVar(var) || !(call.starts_with("f64_load(") || call.starts_with("f32_load(")) || !call.ends_with(");"))
    return {};
  return var;
}

enum class Step { Continue, Anchored, GiveUp };

Step follow(std::string_view line, std::string& tracked) {
  if (line.find_first_of("{}:?") != std::string_view::npos || line.starts_with("goto") || line.starts_with("if") ||
      line.starts_with("return") || !line.ends_with(";"))
    return Step::GiveUp;
  for (std::string_view store : {"f64_store(", "f32_store(", "i32_store", "i64_store"}) {
    if (!line.starts_with(store)) continue;
    auto comma = line.rfind(", ");
    if (line.starts_with("f") && line.ends_with(");") && comma != std::string_view::npos &&
        line.substr(comma + 2, line.size() - comma - 4) == tracked)  // the value operand, without ");"
      return Step::Anchored;
    // Another store: the tracked value lives on unless the store reads it some other way.
    return line.find(tracked) == std::string_view::npos ? Step::Continue : Step::GiveUp;
  }
  // `a op= b;`
  for (std::string_view op : {" += ", " -= ", " *= ", " /= "}) {
    auto at = line.find(op);
    if (at == std::string_view::npos) continue;
    std::string_view lhs = line.substr(0, at), rhs = line.substr(at + op.size());
    rhs.remove_suffix(1);
    if (!isVar(lhs) || !isVar(rhs)) return Step::GiveUp;
    if (lhs == tracked) return Step::Continue;
    if (rhs == tracked) {
      if (lhs[4] != 'd' && lhs[4] != 'f') return Step::GiveUp;  // float arithmetic only
      tracked = lhs;
      return Step::Continue;
    }
    return Step::Continue;
  }
  // `a = expr;` that leaves the tracked value alone: another variable, a constant or a load.
  auto eq = line.find(" = ");
  if (eq == std::string_view::npos) return Step::GiveUp;
  std::string_view lhs = line.substr(0, eq), rhs = line.substr(eq + 3);
  if (!isVar(lhs) || lhs == tracked) return Step::GiveUp;
  bool load = rhs.find("_load") != std::string_view::npos && rhs.find("_load") < rhs.find('(');
  if (rhs.find('(') != std::string_view::npos && !load) return Step::GiveUp;  // a call, a macro
  return Step::Continue;
}

void storedFloatLoadsWithoutKeepAlive(std::string& source) {
  if (source.find("PELATO_KEEP_LOADED_FP(result); return result; }") == std::string::npos) return;
  std::string out;
  out.reserve(source.size() + 4096);
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < source.size();) {
    size_t end = source.find('\n', at);
    if (end == std::string::npos) end = source.size();
    lines.push_back(std::string_view(source).substr(at, end - at));
    at = end + 1;
  }
  constexpr size_t kWindow = 16;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i], body = trim(line);
    std::string_view var = floatLoadTarget(body);
    bool anchored = false;
    if (!var.empty()) {
      std::string tracked(var);
      for (size_t j = i + 1; j < lines.size() && j <= i + kWindow; ++j) {
        Step step = follow(trim(lines[j]), tracked);
        if (step == Step::Continue) continue;
        anchored = step == Step::Anchored;
        break;
      }
    }
    if (anchored) {
      auto at = line.find("_load(");
      out.append(line.substr(0, at)).append("_load_stored(").append(line.substr(at + 6));
    } else {
      out.append(line);
    }
    if (i + 1 < lines.size() || (!source.empty() && source.back() == '\n')) out += '\n';
  }
  for (std::string_view type : {"f32", "f64"}) {
    std::string anchor = fmt::format(
        "static inline {0} {0}_load(wasm_rt_memory_t* mem, u64 addr) {{ MEMCHECK(mem, addr, {0}); {0} result; "
        "wasm_rt_memcpy(&result, &mem->data[addr], sizeof({0})); PELATO_KEEP_LOADED_FP(result); return result; }}\n",
        type);
    std::string stored = fmt::format(
        "static inline {0} {0}_load_stored(wasm_rt_memory_t* mem, u64 addr) {{ MEMCHECK(mem, addr, {0}); {0} result; "
        "wasm_rt_memcpy(&result, &mem->data[addr], sizeof({0})); return result; }}\n",
        type);
    if (auto at = out.find(anchor); at != std::string::npos) out.insert(at + anchor.size(), stored);
  }
  source = std::move(out);
}

// wasm2c keeps an integer load alive with `wasm_asm("" ::"r"(result))`, an input-only asm: under
// register pressure gcc then loads the value twice, once into a register for the asm and once
// more as a memory operand where it is used. Passing the value through the asm (in and out)
// leaves one load; the asm is volatile, so it is never dropped, nor is the load before it.
void integerLoadsThroughTheKeepAlive(std::string& source) {
  static const std::regex keep(R"(wasm_asm\(""\s*::\s*"r"\(result\)\);(\s*\\\s*)return \(t3\)\(t2\)result;)");
  source = std::regex_replace(source, keep, "t3 value = (t3)(t2)result; PELATO_KEEP_LOADED(value);$1return value;");
}

// With guard pages wasm2c's MEMCHECK is empty: an access faults in the guard region behind the
// memory. Address plus static offset can exceed that region, up to 8 GiB, and land outside the
// reservation, so MEMCHECK traps on addresses past its end. It is a comparison with a constant:
// for an i32 address plus an offset below kGuardBytes the C compiler knows it is false and
// drops it, so only accesses with larger static offsets pay for it. Returns whether it applied.
// (bench matmul, which has no far offsets, ran 0.87x native without it and 0.96x with it: the
// same inner loop, a different layout.)
bool guardRegionLimit(std::string& source) {
  constexpr std::string_view kEmpty = "#if WASM_RT_MEMCHECK_SIGNAL_HANDLER\n#define MEMCHECK(mem, a, t)\n";
  auto at = source.find(kEmpty);
  if (at == std::string::npos) return false;
  source.replace(at, kEmpty.size(),
                 "#if WASM_RT_MEMCHECK_SIGNAL_HANDLER\n#define MEMCHECK(mem, a, t) \\\n"
                 "  if (UNLIKELY((u64)(a) > PELATO_GUARDED_BYTES - sizeof(t))) TRAP(OOB);\n");
  return true;
}

// wasm2c's stores are memcpys into linear memory, which the C compiler must assume may change
// the instance's memory descriptor: it reloads the memory base after every store. pelato's
// memories never move (a fixed reservation grows in place), so each function reads the
// descriptor once into a local that loads and stores use; memory.size, memory.grow and bulk
// operations keep using the instance's own. Only with guard pages: explicit bounds checks
// would read a stale size from the copy after memory.grow.
void memoryBaseInLocals(std::string& source) {
  if (source.find("instance->w2c_memory") == std::string::npos) return;
  static const std::regex access(R"(\b((?:i32|i64|f32|f64)_(?:load|store)(?:8|16|32)?(?:_[su])?(?:_stored)?)\(&instance->w2c_memory, )");
  source = std::regex_replace(source, access, "$1(&pelato_memory, ");
  constexpr std::string_view kPrologue = "  FUNC_PROLOGUE;\n";
  const std::string local = "  wasm_rt_memory_t pelato_memory = instance->w2c_memory;\n";
  for (auto at = source.find(kPrologue); at != std::string::npos; at = source.find(kPrologue, at)) {
    at += kPrologue.size();
    source.insert(at, local);
  }
}

// wasm2c 1.0.32 puts an imported function into a table (element segments, table.init) with
// the ADDRESS of the instance member that holds its context, `(char*)instance + offsetof(...,
// Z_ex_instance)`, where a direct call and ref.func pass that member's VALUE,
// `instance->Z_ex_instance`. call_indirect then hands the import a pointer into the caller's
// instance as its context (a crash in pelato_rt_host_call), and snapshots could not map the
// entry back to its function. Defined functions (module_offset 0: the instance itself) and
// ref.null are right as they are. Each imported entry is marked, and the table init reads the
// member through the mark; the offset alone cannot tell the two apart, as an import's context
// member may be the first one (offset 0). Returns false if imported entries exist and the
// struct or the table init it must change is not shaped as expected (the source is then left
// unchanged).
bool importedFunctionContextsInTables(std::string& source) {
  static const std::regex imported(
      R"((\{\d+, \(wasm_rt_function_ptr_t\)\w+, offsetof\(\w+, \w+\))\},\n)");
  if (source.find(", offsetof(") == std::string::npos || !std::regex_search(source, imported)) return true;
  constexpr std::string_view kStruct = "  size_t module_offset;\n} wasm_elem_segment_expr_t;\n";
  constexpr std::string_view kInit = "        (char*)module_instance + src_expr->module_offset};\n";
  auto structAt = source.find(kStruct), initAt = source.find(kInit);
  if (structAt == std::string::npos || initAt == std::string::npos || initAt < structAt) return false;
  source.replace(initAt, kInit.size(),
                 "        src_expr->pelato_imported\n"
                 "            ? *(void**)((char*)module_instance + src_expr->module_offset)\n"
                 "            : (char*)module_instance + src_expr->module_offset};\n");
  source.replace(structAt, kStruct.size(),
                 "  size_t module_offset;\n"
                 "  bool pelato_imported; /* module_offset is the member holding the import's context */\n"
                 "} wasm_elem_segment_expr_t;\n");
  source = std::regex_replace(source, imported, "$1, true},\n");
  return true;
}

}  // namespace

bool patchWasm2cOutput(std::string& source, const AotPlan& plan) {
  if (!importedFunctionContextsInTables(source)) return false;
  elementsBeforeData(source);
  floatLoadsInFpRegisters(source);
  integerLoadsThroughTheKeepAlive(source);
  storedFloatLoadsWithoutKeepAlive(source);
  if (plan.explicitBoundsChecks) return true;
  memoryBaseInLocals(source);
  // Without the limit, guard pages alone would not contain far static offsets. Only modules
  // that have some get it: even where it compiles to nothing it can change gcc's code layout.
  return !plan.farOffsets || guardRegionLimit(source);
}

}  // namespace pelato::runtime::aot
