#include "oci/auth_challenge.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace pelato::oci {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void skipSpace(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

}  // namespace

Result<AuthChallenge> parseAuthChallenge(std::string_view header) {
  std::string_view s = header;
  skipSpace(s);
  size_t n = 0;
  while (n < s.size() && isTokenChar(s[n])) ++n;
  if (n == 0) return fail("registry sent an empty or malformed WWW-Authenticate header");
  AuthChallenge challenge{.scheme = lower(s.substr(0, n))};
  s.remove_prefix(n);
  // auth-params: name=value or name="quoted", separated by commas.
  while (true) {
    skipSpace(s);
    while (!s.empty() && s.front() == ',') {
      s.remove_prefix(1);
      skipSpace(s);
    }
    if (s.empty()) break;
    size_t k = 0;
    while (k < s.size() && isTokenChar(s[k])) ++k;
    if (k == 0 || k >= s.size() || s[k] != '=') break;  // the next challenge, or junk: stop here
    std::string name = lower(s.substr(0, k));
    s.remove_prefix(k + 1);
    std::string value;
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      bool closed = false;
      while (!s.empty()) {
        char c = s.front();
        s.remove_prefix(1);
        if (c == '\\' && !s.empty()) {
          value += s.front();
          s.remove_prefix(1);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return fail("registry sent a WWW-Authenticate header with an unterminated quoted value");
    } else {
      while (!s.empty() && s.front() != ',' && s.front() != ' ') {
        value += s.front();
        s.remove_prefix(1);
      }
    }
    challenge.params.emplace(std::move(name), std::move(value));
  }
  return challenge;
}

Result<std::string> parseTokenResponse(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return fail("the registry's token server did not answer with a JSON object");
  for (const char* key : {"token", "access_token"}) {
    if (auto it = doc.find(key); it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      const auto& token = it->get_ref<const std::string&>();
      for (char c : token)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
          return fail("the registry's token server sent a token with whitespace or control characters");
      return token;
    }
  }
  return fail("the registry's token server sent no \"token\" or \"access_token\"");
}

std::string basicAuthorization(std::string_view user, std::string_view password) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string in = std::string(user) + ":" + std::string(password);
  std::string out = "Basic ";
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace pelato::oci
