// Whole-file reads and crash-safe writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato {

Result<std::vector<uint8_t>> readFile(const std::filesystem::path& path);
Result<std::string> readTextFile(const std::filesystem::path& path);

// Writes to a temporary sibling, fsyncs and renames, so readers never see a partial file.
Result<void> writeFileAtomic(const std::filesystem::path& path, std::span<const uint8_t> data);

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  static Result<TempDir> create(std::string_view prefix = "pelato");
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace pelato
