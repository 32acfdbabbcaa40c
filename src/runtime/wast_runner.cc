#include "runtime/wast_runner.h"

#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "common/file.h"
#include "common/subprocess.h"
#include "runtime/module.h"
#include "runtime/wast_backend.h"

namespace pelato::runtime {

using nlohmann::json;

namespace {

// A value from the script, with NaN patterns ("nan:canonical", "nan:arithmetic") per lane.
struct ScriptValue {
  Value value;
  std::vector<std::string> patterns;  // one per lane (one lane for scalars); empty string: exact
};

ValType parseType(const std::string& t) {
  if (t == "i32") return ValType::I32;
  if (t == "i64") return ValType::I64;
  if (t == "f32") return ValType::F32;
  if (t == "f64") return ValType::F64;
  if (t == "v128") return ValType::V128;
  if (t == "funcref") return ValType::FuncRef;
  return ValType::ExternRef;
}

bool matchesNan(const std::string& pattern, bool is32, uint64_t bits) {
  if (is32) {
    uint32_t b = static_cast<uint32_t>(bits);
    return pattern == "nan:canonical" ? (b & 0x7fffffffu) == 0x7fc00000u : (b & 0x7fc00000u) == 0x7fc00000u;
  }
  return pattern == "nan:canonical" ? (bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull
                                    : (bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

std::string describe(const Value& v) {
  if (v.type == ValType::FuncRef || v.type == ValType::ExternRef)
    return v.bits == 0 ? "ref.null" : fmt::format("ref:{}", v.bits);
  return toString(v);
}

Result<ScriptValue> parseValue(const json& j) {
  ScriptValue v;
  v.value.type = parseType(j.at("type"));
  if (v.value.type == ValType::V128) {
    const auto& lanes = j.at("value");
    size_t width = 16 / lanes.size();
    for (size_t i = 0; i < lanes.size(); ++i) {
      std::string s = lanes[i];
      v.patterns.push_back(s.starts_with("nan:") ? s : "");
      uint64_t x = s.starts_with("nan:") ? 0 : std::stoull(s);
      std::memcpy(v.value.v128.data() + i * width, &x, width);
    }
    return v;
  }
  std::string s = j.value("value", "null");
  if (v.value.type == ValType::FuncRef || v.value.type == ValType::ExternRef) {
    v.value.bits = s == "null" ? 0 : std::stoull(s) + 1;
    return v;
  }
  v.patterns.push_back(s.starts_with("nan:") ? s : "");
  if (!s.starts_with("nan:")) v.value.bits = std::stoull(s);
  return v;
}

bool matches(const ScriptValue& want, const Value& got) {
  if (want.value.type != got.type) return false;
  switch (got.type) {
    case ValType::F32:
    case ValType::F64:
      return want.patterns[0].empty() ? got.bits == want.value.bits
                                      : matchesNan(want.patterns[0], got.type == ValType::F32, got.bits);
    case ValType::V128: {
      size_t width = 16 / want.patterns.size();
      for (size_t i = 0; i < want.patterns.size(); ++i) {
        uint64_t g = 0, w = 0;
        std::memcpy(&g, got.v128.data() + i * width, width);
        std::memcpy(&w, want.value.v128.data() + i * width, width);
        if (want.patterns[i].empty() ? g != w : !matchesNan(want.patterns[i], width == 4, g)) return false;
      }
      return true;
    }
    case ValType::FuncRef: return (want.value.bits == 0) == (got.bits == 0);
    default: return got.bits == want.value.bits;
  }
}

class Runner {
 public:
  Runner(WastBackend& backend, std::filesystem::path dir, std::string source)
      : backend_(backend), dir_(std::move(dir)), source_(std::move(source)) {}

  WastSummary run(const json& commands) {
    for (const auto& c : commands) {
      line_ = c.value("line", 0);
      command(c);
    }
    return summary_;
  }

 private:
  void pass() { ++summary_.passed; }
  void failure(const std::string& what) {
    ++summary_.failed;
    summary_.failures.push_back(fmt::format("{}:{}: {}", source_, line_, what));
  }

  Result<WastBackend::Handle> instantiate(const std::string& file) {
    auto module = Module::loadFile((dir_ / file).string());
    if (!module) return fail(std::move(module.error()));
    return backend_.instantiate(*module);
  }

  WastBackend::Handle lookup(const std::string& name) const {
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
  }

  void command(const json& c) {
    const std::string type = c.at("type");
    if (type == "module") {
      auto instance = instantiate(c.at("filename"));
      current_ = instance ? *instance : nullptr;
      if (!instance) return failure(fmt::format("module failed: {}", instance.error().message()));
      if (c.contains("name")) named_[c.at("name")] = current_;
    } else if (type == "register") {
      auto exports = c.contains("name") ? lookup(c.at("name")) : current_;
      if (!exports) return failure(fmt::format("register: no module {}", c.value("name", "(current)")));
      backend_.registerAs(c.at("as"), exports);
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
      if (!backend_.instantiate(*module)) pass();
      else failure(fmt::format("{}: the module instantiated", type));
    } else {
      failure(fmt::format("unsupported command '{}'", type));
    }
  }

  void expectInvalid(const json& c) {
    const std::string file = c.at("filename");
    const std::string type = c.at("type");
    if (c.value("module_type", "binary") == "text") {
      // Text modules that must not parse: ask the reference text parser.
      auto r = runProcess({"wat2wasm", "--enable-all", (dir_ / file).string(), "-o", "/dev/null"});
      if (r && r->exitCode != 0) pass();
      else failure(fmt::format("{}: wat2wasm accepted the text module", type));
      return;
    }
    auto module = Module::loadFile((dir_ / file).string());
    if (!module) pass();
    else failure(fmt::format("{}: expected \"{}\", but the module loaded", type, c.value("text", "")));
  }

  Result<std::vector<Value>> act(const json& action) {
    auto target = action.contains("module") ? lookup(action.at("module")) : current_;
    if (!target) return fail("no module to act on");
    const std::string field = action.at("field");
    if (action.at("type") == "get") {
      auto v = backend_.get(target, field);
      if (!v) return fail(std::move(v.error()));
      return std::vector<Value>{*v};
    }
    std::vector<Value> args;
    for (const auto& a : action.value("args", json::array())) {
      auto v = parseValue(a);
      if (!v) return fail(std::move(v.error()));
      args.push_back(v->value);
    }
    return backend_.invoke(target, field, args);
  }

  void assertReturn(const json& c) {
    auto r = act(c.at("action"));
    if (!r) return failure(fmt::format("assert_return: {}", r.error().message()));
    const auto& expected = c.value("expected", json::array());
    if (expected.size() != r->size())
      return failure(fmt::format("assert_return: expected {} results, got {}", expected.size(), r->size()));
    for (size_t i = 0; i < expected.size(); ++i) {
      auto want = parseValue(expected[i]);
      if (!want) return failure(want.error().message());
      if (!matches(*want, (*r)[i]))
        return failure(fmt::format("assert_return: result {} is {}, expected {}", i, describe((*r)[i]),
                                   want->patterns.size() == 1 && !want->patterns[0].empty() ? want->patterns[0]
                                                                                             : describe(want->value)));
    }
    pass();
  }

  WastBackend& backend_;
  std::filesystem::path dir_;
  std::string source_;
  int line_ = 0;
  WastBackend::Handle current_;
  std::map<std::string, WastBackend::Handle> named_;
  WastSummary summary_;
};

}  // namespace

Result<WastSummary> runWastJson(const std::filesystem::path& jsonPath, const WastOptions& options) {
  auto text = readTextFile(jsonPath);
  if (!text) return fail(std::move(text.error()));
  json script = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (script.is_discarded() || !script.contains("commands"))
    return fail("{} is not a wast2json script", jsonPath.string());
  std::unique_ptr<WastBackend> backend;
  if (options.aot) {
    auto aot = makeAotWastBackend(options.cacheDir);
    if (!aot) return fail(std::move(aot.error()));
    backend = std::move(*aot);
  } else {
    backend = makeInterpWastBackend();
  }
  // wast2json's output is trusted; a field of the wrong shape is still reported, not thrown.
  try {
    Runner runner(*backend, jsonPath.parent_path(), script.value("source_filename", jsonPath.filename().string()));
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
