// A C++ task using the key-value host functions through pelato::kv:
//   get:KEY  -> the value, or "(none)";  set:KEY=VALUE -> "true"/"false";  del:KEY -> "true"/"false"
#include <string>

#include "pelato.h"

std::string exec_task(std::string_view input) {
  std::string_view op = input.substr(0, 4), arg = input.substr(op.size());
  if (op == "get:") return pelato::kv::get(arg).value_or("(none)");
  if (op == "set:") {
    size_t eq = arg.find('=');
    if (eq == std::string_view::npos) return "usage: set:KEY=VALUE";
    return pelato::kv::set(arg.substr(0, eq), arg.substr(eq + 1)) ? "true" : "false";
  }
  if (op == "del:") return pelato::kv::del(arg) ? "true" : "false";
  return "usage: get:KEY | set:KEY=VALUE | del:KEY";
}
