#include "runtime/wast_runner.h"

#include <cmath>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>
#include <wabt/interp/interp.h>

#include "common/file.h"
#include "common/subprocess.h"
#include "runtime/interp_call.h"
#include "runtime/module.h"

namespace pelato::runtime {

namespace wi = wabt::interp;
using nlohmann::json;

namespace {

// A value read from the script, kept with its textual form for NaN patterns.
struct ScriptValue {
  wabt::Type type = wabt::Type::I32;
  wi::Value value;
  std::string nanPattern;                   // "nan:canonical" / "nan:arithmetic" for scalars
  std::vector<std::string> lanePatterns;    // per-lane patterns for v128
  std::string laneType;                     // v128 lane shape
  bool isNull = false;
};

wabt::Type parseType(const std::string& t) {
  if (t == "i32") return wabt::Type::I32;
  if (t == "i64") return wabt::Type::I64;
  if (t == "f32") return wabt::Type::F32;
  if (t == "f64") return wabt::Type::F64;
  if (t == "v128") return wabt::Type::V128;
  if (t == "funcref") return wabt::Type::FuncRef;
  return wabt::Type::ExternRef;
}

bool isCanonicalNan32(uint32_t bits) { return (bits & 0x7fffffffu) == 0x7fc00000u; }
bool isArithmeticNan32(uint32_t bits) { return (bits & 0x7fc00000u) == 0x7fc00000u; }
bool isCanonicalNan64(uint64_t bits) { return (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull; }
bool isArithmeticNan64(uint64_t bits) { return (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }

bool matchesPattern(const std::string& pattern, bool is32, uint64_t bits) {
  if (pattern == "nan:canonical") return is32 ? isCanonicalNan32(uint32_t(bits)) : isCanonicalNan64(bits);
  return is32 ? isArithmeticNan32(uint32_t(bits)) : isArithmeticNan64(bits);
}

std::string describe(wabt::Type type, const wi::Value& v) {
  switch (type) {
    case wabt::Type::I32: return fmt::format("i32:{}", v.Get<wi::u32>());
    case wabt::Type::I64: return fmt::format("i64:{}", v.Get<wi::u64>());
    case wabt::Type::F32: return fmt::format("f32:{} (0x{:08x})", v.Get<float>(), std::bit_cast<uint32_t>(v.Get<float>()));
    case wabt::Type::F64: return fmt::format("f64:{} (0x{:016x})", v.Get<double>(), std::bit_cast<uint64_t>(v.Get<double>()));
    case wabt::Type::V128: {
      auto x = v.Get<::v128>();
      return fmt::format("v128:{:08x} {:08x} {:08x} {:08x}", x.u32(0), x.u32(1), x.u32(2), x.u32(3));
    }
    default: return v.Get<wi::Ref>() == wi::Ref::Null ? "ref.null" : fmt::format("ref:{}", v.Get<wi::Ref>().index);
  }
}

class Runner {
 public:
  Runner(std::filesystem::path dir, std::string source, const WastOptions& options)
      : dir_(std::move(dir)), source_(std::move(source)), options_(options) {
    createSpectest();
  }

  WastSummary run(const json& commands) {
    for (const auto& c : commands) {
      line_ = c.value("line", 0);
      command(c);
    }
    return summary_;
  }

 private:
  using ExportMap = std::map<std::string, wi::Ref>;

  void pass() { ++summary_.passed; }
  void failure(const std::string& what) {
    ++summary_.failed;
    summary_.failures.push_back(fmt::format("{}:{}: {}", source_, line_, what));
  }

  void command(const json& c) {
    const std::string type = c.at("type");
    if (type == "module") {
      auto instance = instantiate(c.at("filename"));
      if (!instance) {
        failure(fmt::format("module failed: {}", instance.error().message()));
        current_.reset();
        return;
      }
      current_ = std::move(*instance);
      if (c.contains("name")) named_[c.at("name")] = current_;
    } else if (type == "register") {
      auto exports = c.contains("name") ? lookup(c.at("name")) : current_;
      if (exports) registered_[c.at("as")] = exports;
      else failure(fmt::format("register: no module {}", c.value("name", "(current)")));
    } else if (type == "action") {
      auto r = act(c.at("action"));
      if (r) pass();
      else failure(fmt::format("action failed: {}", r.error().message()));
    } else if (type == "assert_return") {
      assertReturn(c);
    } else if (type == "assert_trap" || type == "assert_exhaustion") {
      auto r = act(c.at("action"));
      if (!r && r.error().message().starts_with("trap: ")) pass();
      else failure(fmt::format("{}: expected a trap \"{}\", {}", type, c.value("text", ""),
                               r ? "but the call returned" : r.error().message()));
    } else if (type == "assert_invalid" || type == "assert_malformed") {
      expectInvalid(c);
    } else if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      // The module itself must be valid: only linking or instantiation may fail.
      auto module = Module::loadFile((dir_ / c.at("filename").get<std::string>()).string());
      if (!module) return failure(fmt::format("{}: the module did not even load: {}", type, module.error().message()));
      auto instance = instantiate(c.at("filename"));
      if (!instance) pass();
      else failure(fmt::format("{}: the module instantiated", type));
    } else if (type == "assert_return_canonical_nan" || type == "assert_return_arithmetic_nan") {
      assertReturn(c);
    } else {
      failure(fmt::format("unsupported command '{}'", type));
    }
  }

  void expectInvalid(const json& c) {
    const std::string file = c.at("filename");
    if (c.value("module_type", "binary") == "text") {
      // Text modules that must not parse: ask the reference text parser.
      auto r = runProcess({"wat2wasm", "--enable-all", (dir_ / file).string(), "-o", "/dev/null"});
      if (r && r->exitCode != 0) pass();
      else failure(fmt::format("{}: wat2wasm accepted the text module", c.at("type").get<std::string>()));
      return;
    }
    auto bytes = readFile(dir_ / file);
    if (!bytes) return failure(bytes.error().message());
    auto module = Module::load(std::move(*bytes));
    if (!module) pass();
    else failure(fmt::format("{}: expected \"{}\", but the module loaded", c.at("type").get<std::string>(),
                             c.value("text", "")));
  }

  std::shared_ptr<ExportMap> lookup(const std::string& name) const {
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
  }

  Result<std::shared_ptr<ExportMap>> instantiate(const std::string& file) {
    auto module = Module::loadFile((dir_ / file).string());
    if (!module) return fail(std::move(module.error()));
    auto wabtModule = wi::Module::New(store_, module->interpDesc());
    wi::RefVec imports;
    for (const auto& import : module->imports()) {
      const ExportMap* from = import.module == "spectest" ? &spectest_ : nullptr;
      if (auto it = registered_.find(import.module); it != registered_.end()) from = it->second.get();
      if (!from) return fail("unknown import module {}", import.module);
      auto e = from->find(import.name);
      if (e == from->end()) return fail("unknown import {}.{}", import.module, import.name);
      imports.push_back(e->second);
    }
    wi::Trap::Ptr trap;
    auto instance = wi::Instance::Instantiate(store_, wabtModule.ref(), imports, &trap);
    if (!instance) return fail("{}", trap ? trap->message() : "instantiation failed");
    auto exports = std::make_shared<ExportMap>();
    for (size_t i = 0; i < module->exports().size(); ++i) {
      (*exports)[module->exports()[i].name] = instance->exports()[i];
      keep_.push_back(wi::Object::Ptr(store_, instance->exports()[i]));
    }
    keep_.push_back(instance);
    return exports;
  }

  Result<ScriptValue> parseValue(const json& j) {
    ScriptValue v;
    v.type = parseType(j.at("type"));
    if (v.type == wabt::Type::V128) {
      v.laneType = j.at("lane_type");
      ::v128 bits{};
      const auto& lanes = j.at("value");
      size_t n = lanes.size();
      size_t width = 16 / n;
      for (size_t i = 0; i < n; ++i) {
        std::string s = lanes[i];
        v.lanePatterns.push_back(s.starts_with("nan:") ? s : "");
        uint64_t x = s.starts_with("nan:") ? 0 : std::stoull(s);
        std::memcpy(reinterpret_cast<uint8_t*>(&bits) + i * width, &x, width);
      }
      v.value = wi::Value::Make(bits);
      return v;
    }
    if (v.type == wabt::Type::FuncRef || v.type == wabt::Type::ExternRef) {
      std::string s = j.value("value", "null");
      v.isNull = s == "null";
      v.value = wi::Value::Make(v.isNull ? wi::Ref::Null : externRef(std::stoull(s)));
      return v;
    }
    std::string s = j.at("value");
    if (s.starts_with("nan:")) {
      v.nanPattern = s;
      return v;
    }
    uint64_t bits = std::stoull(s);
    switch (v.type) {
      case wabt::Type::I32: v.value = wi::Value::Make(static_cast<wi::u32>(bits)); break;
      case wabt::Type::I64: v.value = wi::Value::Make(static_cast<wi::u64>(bits)); break;
      case wabt::Type::F32: v.value = wi::Value::Make(std::bit_cast<float>(static_cast<uint32_t>(bits))); break;
      default: v.value = wi::Value::Make(std::bit_cast<double>(bits)); break;
    }
    return v;
  }

  // `ref.extern N` values: one host object per N, so identity comparisons work.
  wi::Ref externRef(uint64_t n) {
    auto it = externs_.find(n);
    if (it == externs_.end())
      it = externs_.emplace(n, wi::Foreign::New(store_, reinterpret_cast<void*>(n + 1))).first;
    return it->second.ref();
  }

  struct ActionResult {
    wi::ValueTypes types;
    wi::Values values;
  };

  Result<ActionResult> act(const json& action) {
    auto target = action.contains("module") ? lookup(action.at("module")) : current_;
    if (!target) return fail("no module to act on");
    const std::string field = action.at("field");
    auto e = target->find(field);
    if (e == target->end()) return fail("no export {}", field);
    if (action.at("type") == "get") {
      wi::Global::Ptr global(store_, e->second);
      return ActionResult{{global->type().type}, {global->Get()}};
    }
    wi::Func::Ptr func(store_, e->second);
    wi::Values args;
    for (const auto& a : action.value("args", json::array())) {
      auto v = parseValue(a);
      if (!v) return fail(std::move(v.error()));
      args.push_back(v->value);
    }
    CallBudget budget{.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30)};
    auto r = callWithBudget(store_, func, args, budget, nullptr);
    if (!r) return fail("trap: {}", r.error().trap.message);
    return ActionResult{func->type().results, std::move(*r)};
  }

  bool matches(const ScriptValue& want, wabt::Type type, const wi::Value& got) {
    if (want.type != type) return false;
    switch (type) {
      case wabt::Type::F32: {
        uint32_t bits = std::bit_cast<uint32_t>(got.Get<float>());
        return want.nanPattern.empty() ? bits == std::bit_cast<uint32_t>(want.value.Get<float>())
                                       : matchesPattern(want.nanPattern, true, bits);
      }
      case wabt::Type::F64: {
        uint64_t bits = std::bit_cast<uint64_t>(got.Get<double>());
        return want.nanPattern.empty() ? bits == std::bit_cast<uint64_t>(want.value.Get<double>())
                                       : matchesPattern(want.nanPattern, false, bits);
      }
      case wabt::Type::I32: return got.Get<wi::u32>() == want.value.Get<wi::u32>();
      case wabt::Type::I64: return got.Get<wi::u64>() == want.value.Get<wi::u64>();
      case wabt::Type::V128: {
        auto g = got.Get<::v128>();
        auto w = want.value.Get<::v128>();
        size_t n = want.lanePatterns.size(), width = 16 / n;
        for (size_t i = 0; i < n; ++i) {
          uint64_t gl = 0, wl = 0;
          std::memcpy(&gl, reinterpret_cast<uint8_t*>(&g) + i * width, width);
          std::memcpy(&wl, reinterpret_cast<uint8_t*>(&w) + i * width, width);
          if (!want.lanePatterns[i].empty()) {
            if (!matchesPattern(want.lanePatterns[i], width == 4, gl)) return false;
          } else if (gl != wl) {
            return false;
          }
        }
        return true;
      }
      default: {
        wi::Ref g = got.Get<wi::Ref>();
        if (want.isNull) return g == wi::Ref::Null;
        if (want.type == wabt::Type::FuncRef) return g != wi::Ref::Null;
        return g == want.value.Get<wi::Ref>();
      }
    }
  }

  void assertReturn(const json& c) {
    auto r = act(c.at("action"));
    if (!r) return failure(fmt::format("assert_return: {}", r.error().message()));
    const auto& expected = c.value("expected", json::array());
    if (expected.size() != r->values.size())
      return failure(fmt::format("assert_return: expected {} results, got {}", expected.size(), r->values.size()));
    for (size_t i = 0; i < expected.size(); ++i) {
      auto want = parseValue(expected[i]);
      if (!want) return failure(want.error().message());
      if (c.at("type") != "assert_return") want->nanPattern = c.at("type") == "assert_return_canonical_nan" ? "nan:canonical" : "nan:arithmetic";
      if (!matches(*want, r->types[i], r->values[i]))
        return failure(fmt::format("assert_return: result {} is {}, expected {}", i, describe(r->types[i], r->values[i]),
                                   want->nanPattern.empty() ? describe(want->type, want->value) : want->nanPattern));
    }
    pass();
  }

  void createSpectest() {
    auto print = [this](std::initializer_list<wabt::Type> params) {
      auto f = wi::HostFunc::New(store_, wi::FuncType(params, {}),
                                 [](wi::Thread&, const wi::Values&, wi::Values&, wi::Trap::Ptr*) { return wabt::Result::Ok; });
      keep_.push_back(f);
      return f.ref();
    };
    using T = wabt::Type;
    spectest_["print"] = print({});
    spectest_["print_i32"] = print({T::I32});
    spectest_["print_i64"] = print({T::I64});
    spectest_["print_f32"] = print({T::F32});
    spectest_["print_f64"] = print({T::F64});
    spectest_["print_i32_f32"] = print({T::I32, T::F32});
    spectest_["print_f64_f64"] = print({T::F64, T::F64});
    auto global = [this](T type, wi::Value v) {
      auto g = wi::Global::New(store_, wi::GlobalType(type, wi::Mutability::Const), v);
      keep_.push_back(g);
      return g.ref();
    };
    spectest_["global_i32"] = global(T::I32, wi::Value::Make(wi::u32{666}));
    spectest_["global_i64"] = global(T::I64, wi::Value::Make(wi::u64{666}));
    spectest_["global_f32"] = global(T::F32, wi::Value::Make(666.6f));
    spectest_["global_f64"] = global(T::F64, wi::Value::Make(666.6));
    auto table = wi::Table::New(store_, wi::TableType(T::FuncRef, wabt::Limits(10, 20)));
    auto memory = wi::Memory::New(store_, wi::MemoryType(wabt::Limits(1, 2)));
    keep_.push_back(table);
    keep_.push_back(memory);
    spectest_["table"] = table.ref();
    spectest_["memory"] = memory.ref();
  }

  std::filesystem::path dir_;
  std::string source_;
  WastOptions options_;
  int line_ = 0;
  wi::Store store_;
  std::vector<wi::Object::Ptr> keep_;  // roots: everything a later command may reach
  std::map<uint64_t, wi::Foreign::Ptr> externs_;
  ExportMap spectest_;
  std::shared_ptr<ExportMap> current_;
  std::map<std::string, std::shared_ptr<ExportMap>> named_;
  std::map<std::string, std::shared_ptr<ExportMap>> registered_;
  WastSummary summary_;
};

}  // namespace

Result<WastSummary> runWastJson(const std::filesystem::path& jsonPath, const WastOptions& options) {
  auto text = readTextFile(jsonPath);
  if (!text) return fail(std::move(text.error()));
  json script = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (script.is_discarded() || !script.contains("commands"))
    return fail("{} is not a wast2json script", jsonPath.string());
  // wast2json's output is trusted; a field of the wrong shape is still reported, not thrown.
  try {
    Runner runner(jsonPath.parent_path(), script.value("source_filename", jsonPath.filename().string()), options);
    return runner.run(script.at("commands"));
  } catch (const json::exception& e) {
    return fail("{}: unexpected script content: {}", jsonPath.string(), e.what());
  }
}

Result<WastSummary> runWastFile(const std::filesystem::path& wast, const WastOptions& options) {
  auto dir = TempDir::create("pelato-wast");
  if (!dir) return fail(std::move(dir.error()));
  auto jsonPath = dir->path() / (wast.stem().string() + ".json");
  auto r = runProcess({"wast2json", "--enable-all", wast.string(), "-o", jsonPath.string()});
  if (!r) return fail(std::move(r.error()));
  if (r->exitCode != 0) return fail("wast2json could not read {}:\n{}", wast.string(), r->err);
  return runWastJson(jsonPath, options);
}

}  // namespace pelato::runtime
