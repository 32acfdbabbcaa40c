#include "runtime/module.h"

#include <wabt/binary-reader.h>
#include <wabt/interp/binary-reader-interp.h>

#include "common/file.h"
#include "common/sha256.h"
#include "runtime/wabt_types.h"

namespace pelato::runtime {

namespace wi = wabt::interp;

std::string_view toString(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "?";
}

namespace {

ExternKind fromWabt(wabt::ExternalKind kind) {
  switch (kind) {
    case wabt::ExternalKind::Func: return ExternKind::Func;
    case wabt::ExternalKind::Table: return ExternKind::Table;
    case wabt::ExternalKind::Memory: return ExternKind::Memory;
    case wabt::ExternalKind::Global: return ExternKind::Global;
    case wabt::ExternalKind::Tag: return ExternKind::Tag;
  }
  return ExternKind::Func;
}

FuncType funcTypeOf(const wi::ExternType& type) {
  if (auto* f = wabt::dyn_cast<wi::FuncType>(&type)) return runtime::fromWabt(*f);
  return {};
}

ValType valueTypeOf(const wi::ExternType& type) {
  if (auto* t = wabt::dyn_cast<wi::TableType>(&type)) return runtime::fromWabt(t->element);
  if (auto* g = wabt::dyn_cast<wi::GlobalType>(&type)) return runtime::fromWabt(g->type);
  return ValType::I32;
}

}  // namespace

Result<Module> Module::load(std::vector<uint8_t> bytes) {
  auto data = std::make_shared<Data>();
  auto desc = std::make_shared<wi::ModuleDesc>();
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(wabt::Features{}, nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wi::ReadBinaryInterp("module", bytes.data(), bytes.size(), options, &errors, desc.get()))) {
    if (errors.empty()) return fail("invalid module");
    const auto& e = errors.front();
    return fail("invalid module at byte offset 0x{:x}: {}", e.loc.offset, e.message);
  }
  // Locals are run-length encoded, so a few bytes can declare 2^28 of them, which the interpreter
  // allocates on every call. Cap them where other engines do (V8, SpiderMonkey: 50000).
  constexpr uint64_t kMaxFunctionLocals = 50000;
  size_t importedFuncs = 0;
  for (const auto& import : desc->imports) importedFuncs += import.type.type->kind == wabt::ExternalKind::Func;
  for (size_t i = 0; i < desc->funcs.size(); ++i) {
    uint64_t locals = 0;
    for (const auto& l : desc->funcs[i].locals) locals += l.count;
    if (locals > kMaxFunctionLocals)
      return fail("invalid module: function {} declares {} locals, more than the {} pelato allows",
                  importedFuncs + i, locals, kMaxFunctionLocals);
  }
  // The interpreter tolerates malformed custom sections (fail_on_custom_section_error=false),
  // so the section table can still be bad here: a custom section's name running past its end.
  auto sections = listSections(bytes);
  if (!sections) return fail("invalid module: {}", sections.error().message());
  for (auto& s : *sections) {
    if (s.id != 0) continue;
    if (s.name == "name") data->functionNames = parseFunctionNames({bytes.data() + s.offset, s.size});
    data->customSections.push_back(std::move(s));
  }
  for (const auto& import : desc->imports) {
    data->imports.push_back({import.type.module, import.type.name, fromWabt(import.type.type->kind),
                             funcTypeOf(*import.type.type), valueTypeOf(*import.type.type)});
  }
  for (const auto& e : desc->exports) {
    data->exports.push_back(
        {e.type.name, fromWabt(e.type.type->kind), e.index, funcTypeOf(*e.type.type), valueTypeOf(*e.type.type)});
  }
  for (const auto& m : desc->memories) {
    MemoryLimits limits{m.type.limits.initial, std::nullopt};
    if (m.type.limits.has_max) limits.maxPages = m.type.limits.max;
    data->memories.push_back(limits);
  }
  data->digest = sha256Hex(bytes);
  data->bytes = std::move(bytes);
  data->desc = std::move(desc);
  return Module(std::move(data));
}

Result<Module> Module::loadFile(const std::string& path) {
  auto bytes = readFile(path);
  if (!bytes) return fail(std::move(bytes.error()));
  auto module = load(std::move(*bytes));
  if (!module) return fail(std::move(module.error()).context(path));
  return module;
}

std::optional<std::span<const uint8_t>> Module::customSection(std::string_view name) const {
  for (const auto& s : data_->customSections)
    if (s.name == name) return std::span<const uint8_t>(data_->bytes.data() + s.offset, s.size);
  return std::nullopt;
}

const ExportInfo* Module::findExport(std::string_view name) const {
  for (const auto& e : data_->exports)
    if (e.name == name) return &e;
  return nullptr;
}

std::string Module::functionName(uint32_t index) const {
  if (auto it = data_->functionNames.find(index); it != data_->functionNames.end()) return it->second;
  for (const auto& e : data_->exports)
    if (e.kind == ExternKind::Func && e.index == index) return e.name;
  return fmt::format("func[{}]", index);
}

}  // namespace pelato::runtime
