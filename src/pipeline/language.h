// The languages a task can be written in, by their workflow.yaml `lang` names, and the default
// a task gets from its code file's extension when it gives no `lang`.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pelato::pipeline {

enum class Language { C, Cpp, Rust, AssemblyScript, Go };

// The `lang:` spellings, in the order error messages list them.
inline constexpr std::array<std::string_view, 5> kLanguageNames = {"c", "cpp", "rust", "as", "go"};

std::string_view languageName(Language lang);
std::optional<Language> languageFromName(std::string_view name);
// .c → c, .cc/.cpp/.cxx → cpp, .rs → rust, .ts → as (AssemblyScript), .go → go (TinyGo; the
// thesis's own tasks are Go). Anything else: nullopt, and the task must say `lang:`.
std::optional<Language> languageFromFileName(std::string_view fileName);

}  // namespace pelato::pipeline
