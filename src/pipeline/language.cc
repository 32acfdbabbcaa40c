#include "pipeline/language.h"

#include <utility>

namespace pelato::pipeline {

namespace {

constexpr std::pair<std::string_view, Language> kExtensions[] = {
    {".c", Language::C},     {".cc", Language::Cpp},  {".cpp", Language::Cpp},
    {".cxx", Language::Cpp}, {".rs", Language::Rust}, {".ts", Language::AssemblyScript},
    {".go", Language::Go},
};

}  // namespace

std::string_view languageName(Language lang) { return kLanguageNames[static_cast<size_t>(lang)]; }

std::optional<Language> languageFromName(std::string_view name) {
  for (size_t i = 0; i < kLanguageNames.size(); ++i)
    if (kLanguageNames[i] == name) return static_cast<Language>(i);
  return std::nullopt;
}

std::optional<Language> languageFromFileName(std::string_view fileName) {
  size_t slash = fileName.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? fileName : fileName.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;  // "Makefile", ".hidden"
  std::string_view ext = base.substr(dot);
  for (const auto& [e, lang] : kExtensions)
    if (e == ext) return lang;
  return std::nullopt;
}

}  // namespace pelato::pipeline
