#include "pipeline/render.h"

#include <kainjow/mustache.hpp>

namespace pelato::pipeline {

Result<std::string> renderTemplate(std::string_view text, const TemplateVariables& variables, std::string_view name) {
  namespace m = kainjow::mustache;
  m::mustache tmpl{std::string(text)};
  if (!tmpl.is_valid()) return fail("{}: {}", name, tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  m::data context;
  for (const auto& [key, value] : variables.strings) context.set(key, value);
  for (const auto& [key, value] : variables.flags) context.set(key, value ? m::data::type::bool_true : m::data::type::bool_false);
  for (const auto& [key, items] : variables.lists) {
    m::data list{m::data::type::list};
    for (const auto& item : items) {
      m::data object;
      for (const auto& [k, v] : item) object.set(k, v);
      list.push_back(object);
    }
    context.set(key, list);
  }
  std::string out = tmpl.render(context);
  if (!tmpl.is_valid()) return fail("{}: {}", name, tmpl.error_message());
  return out;
}

}  // namespace pelato::pipeline
