// A validated WebAssembly module: immutable, shareable between instances and threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/binary_sections.h"
#include "runtime/value.h"

namespace wabt::interp {
struct ModuleDesc;
}

namespace pelato::runtime {

enum class ExternKind { Func, Table, Memory, Global, Tag };
std::string_view toString(ExternKind kind);

struct MemoryLimits {
  uint64_t initialPages = 0;
  std::optional<uint64_t> maxPages;
};

struct ImportInfo {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  FuncType funcType;                  // for functions
  ValType valueType = ValType::I32;  // table element or global value type
};

struct ExportInfo {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  FuncType funcType;                  // for functions
  ValType valueType = ValType::I32;  // table element or global value type
};

class Module {
 public:
  // Decodes and validates. Errors name the byte offset and the reason.
  static Result<Module> load(std::vector<uint8_t> bytes);
  static Result<Module> loadFile(const std::string& path);

  const std::vector<uint8_t>& bytes() const { return data_->bytes; }
  const std::string& digest() const { return data_->digest; }  // sha256, hex
  const std::vector<ImportInfo>& imports() const { return data_->imports; }
  const std::vector<ExportInfo>& exports() const { return data_->exports; }
  const std::vector<MemoryLimits>& memories() const { return data_->memories; }  // defined, not imported
  const std::vector<Section>& customSections() const { return data_->customSections; }
  std::optional<std::span<const uint8_t>> customSection(std::string_view name) const;

  const ExportInfo* findExport(std::string_view name) const;
  // A readable name for function `index` (name section, else export name, else "func[N]").
  std::string functionName(uint32_t index) const;

  const wabt::interp::ModuleDesc& interpDesc() const { return *data_->desc; }

 private:
  struct Data {
    std::vector<uint8_t> bytes;
    std::string digest;
    std::vector<ImportInfo> imports;
    std::vector<ExportInfo> exports;
    std::vector<MemoryLimits> memories;
    std::vector<Section> customSections;
    std::map<uint32_t, std::string> functionNames;
    std::shared_ptr<const wabt::interp::ModuleDesc> desc;
  };
  explicit Module(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace pelato::runtime
