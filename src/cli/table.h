// Plain-text tables for people: a header row and aligned columns separated by two spaces.
// Pure: the caller prints render()'s text.
#pragma once

#include <string>
#include <vector>

namespace pelato::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  // Missing cells are empty; extra cells are dropped.
  void addRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // One line per row, each ending in '\n'. Widths count UTF-8 characters, not bytes; the last
  // column is not padded (no trailing spaces).
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// The number of characters (code points) in UTF-8 text.
size_t displayWidth(const std::string& text);

}  // namespace pelato::cli
