// Template rendering (mustache, Debian's kainjow): values are inserted as they are, since the
// templates write YAML and source code, not HTML, and the workflow parser has already limited
// what the values may contain.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::pipeline {

struct TemplateVariables {
  std::map<std::string, std::string> strings;
  std::map<std::string, bool> flags;  // sections: {{#flag}}…{{/flag}}
  std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;
};

// `name` says which template a syntax error is in.
Result<std::string> renderTemplate(std::string_view text, const TemplateVariables& variables, std::string_view name);

}  // namespace pelato::pipeline
