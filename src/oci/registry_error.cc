#include "oci/registry_error.h"

#include <nlohmann/json.hpp>

namespace pelato::oci {
namespace {

std::string printable(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, text.find('\n'))) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

}  // namespace

std::string registryErrorMessage(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    auto errors = doc.find("errors");
    if (errors != doc.end() && errors->is_array()) {
      std::string out;
      for (const auto& e : *errors) {
        if (!e.is_object()) continue;
        std::string code, message;
        if (auto c = e.find("code"); c != e.end() && c->is_string()) code = c->get<std::string>();
        if (auto m = e.find("message"); m != e.end() && m->is_string()) message = m->get<std::string>();
        if (code.empty() && message.empty()) continue;
        if (!out.empty()) out += "; ";
        out += printable(code.empty() ? message : message.empty() ? code : code + ": " + message, 200);
        if (out.size() > 1000) break;
      }
      if (!out.empty()) return out;
    }
  }
  return printable(body, 200);
}

}  // namespace pelato::oci
