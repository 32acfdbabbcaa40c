#include "pipeline/env_file.h"

#include <fmt/format.h>

#include <algorithm>

namespace pelato::pipeline {

namespace {

bool space(char c) { return c == ' ' || c == '\t'; }
bool keyStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool keyChar(char c) { return keyStart(c) || (c >= '0' && c <= '9'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// After a closing quote only spaces and a comment may follow.
bool onlyCommentLeft(std::string_view rest) {
  rest = trim(rest);
  return rest.empty() || rest.front() == '#';
}

class LineParser {
 public:
  LineParser(std::string_view fileName, int line) : fileName_(fileName), line_(line) {}

  // The entry on this line, or an empty key for a blank or comment line.
  Result<EnvEntry> parse(std::string_view text) const {
    std::string_view s = trim(text);
    if (s.empty() || s.front() == '#') return EnvEntry{};
    if (s.starts_with("export") && s.size() > 6 && space(s[6])) s = trim(s.substr(6));
    size_t eq = s.find('=');
    if (eq == std::string_view::npos)
      return error("expected KEY=VALUE (or a # comment); got \"{}\"", s);
    std::string_view key = trim(s.substr(0, eq));
    if (key.empty() || !keyStart(key.front()) || !std::all_of(key.begin(), key.end(), keyChar))
      return error(
          "\"{}\" is not a variable name: use letters, digits and '_', not starting with "
          "a digit (e.g. NATS_HOST)",
          key);
    std::string_view rhs = s.substr(eq + 1);
    // "KEY= # note" is an empty value with a comment; "KEY=#x" is the value "#x", as in sh.
    std::string_view v = trim(rhs);
    if (!rhs.empty() && space(rhs.front()) && v.starts_with('#')) v = {};
    auto value = parseValue(v, key);
    if (!value) return std::unexpected(value.error());
    return EnvEntry{.key = std::string(key), .value = std::move(*value), .line = line_};
  }

 private:
  template <typename... Args>
  std::unexpected<Error> error(fmt::format_string<Args...> format, Args&&... args) const {
    return fail("{}:{}: {}", fileName_, line_, fmt::format(format, std::forward<Args>(args)...));
  }

  Result<std::string> parseValue(std::string_view v, std::string_view key) const {
    if (v.empty()) return std::string();
    if (v.front() == '\'') {
      size_t close = v.find('\'', 1);
      if (close == std::string_view::npos)
        return error("{}: the value's ' quote is not closed (values are one line long)", key);
      if (!onlyCommentLeft(v.substr(close + 1)))
        return error("{}: unexpected text after the closing quote; quote the whole value", key);
      return std::string(v.substr(1, close - 1));
    }
    if (v.front() == '"') {
      std::string out;
      for (size_t i = 1; i < v.size(); ++i) {
        char c = v[i];
        if (c == '"') {
          if (!onlyCommentLeft(v.substr(i + 1)))
            return error("{}: unexpected text after the closing quote; quote the whole value", key);
          return out;
        }
        if (c != '\\' || i + 1 == v.size()) {
          out += c;
          continue;
        }
        char e = v[++i];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '"':
          case '\\':
          case '$':
          case '`':
            out += e;
            break;
          default:
            out += '\\';
            out += e;  // unknown escapes stay as written, as in sh
        }
      }
      return error("{}: the value's \" quote is not closed (values are one line long)", key);
    }
    // Unquoted: a '#' after a space starts a comment; one inside a word (a#b) does not.
    for (size_t i = 1; i < v.size(); ++i)
      if (v[i] == '#' && space(v[i - 1])) return std::string(trim(v.substr(0, i)));
    return std::string(v);
  }

  std::string_view fileName_;
  int line_;
};

}  // namespace

Result<std::vector<EnvEntry>> parseEnvFile(std::string_view text, std::string_view fileName) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM from Windows editors
  std::vector<EnvEntry> out;
  int line = 0;
  while (!text.empty()) {
    ++line;
    size_t nl = text.find('\n');
    std::string_view current = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!current.empty() && current.back() == '\r') current.remove_suffix(1);
    if (current.find('\0') != std::string_view::npos)
      return fail("{}:{}: contains a NUL byte; is this a text file?", fileName, line);
    auto entry = LineParser(fileName, line).parse(current);
    if (!entry) return std::unexpected(entry.error());
    if (!entry->key.empty()) out.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace pelato::pipeline
