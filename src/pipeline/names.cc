#include "pipeline/names.h"

#include <cstdint>
#include <vector>

#include "common/utf8.h"

namespace pelato::pipeline {

namespace {

bool lowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}


}  // namespace

bool validComponentName(std::string_view s) {
  constexpr size_t kMaxLength = 128;
  if (s.empty() || s.size() > kMaxLength) return false;
  size_t i = 0;
  while (true) {
    if (i == s.size() || !lowerAlnum(s[i])) return false;  // a run of [a-z0-9] must come next
    while (i < s.size() && lowerAlnum(s[i])) ++i;
    if (i == s.size()) return true;
    if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;  // "__" is a separator too, "___" is not
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

std::string suggestComponentName(std::string_view s) {
  std::string out;
  for (char c : s) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lowerAlnum(l))
      out += l;
    else if (!out.empty() && out.back() != '_')
      out += '_';
    if (out.size() == 64) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

bool validOciTag(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  if (!(alnum(s[0]) || s[0] == '_')) return false;
  for (char c : s)
    if (!(alnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

bool validSubject(std::string_view s, bool wildcards) {
  if (s.empty()) return false;
  auto tokens = split(s, '.');
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i];
    if (t.empty()) return false;
    if (wildcards && (t == "*" || (t == ">" && i + 1 == tokens.size()))) continue;
    for (char c : t)
      if (!(alnum(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool subjectMatches(std::string_view pattern, std::string_view subject) {
  auto p = split(pattern, '.');
  auto s = split(subject, '.');
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == ">") return i < s.size();  // ">" needs at least one more token
    if (i >= s.size()) return false;
    if (p[i] != "*" && p[i] != s[i]) return false;
  }
  return p.size() == s.size();
}

bool validLabelValue(std::string_view s) {
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s)
    if (!(alnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

bool validTaskPath(std::string_view s) {
  if (s.empty()) return false;
  for (std::string_view part : split(s, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part)
      if (!(alnum(c) || c == '_' || c == '.' || c == '-' || c == '+')) return false;
  }
  return true;
}

bool validText(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;
  }
  return validUtf8(s);
}

}  // namespace pelato::pipeline
