#include "oci/image_ref.h"

#include <fmt/format.h>

#include <cctype>

#include "oci/digest.h"

namespace pelato::oci {
namespace {

constexpr std::string_view kExample = "e.g. 127.0.0.1:5000/app/upper:v1";

bool isLower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLower(c) || (c >= 'A' && c <= 'Z'); }

// A path component: [a-z0-9]+ with single '.', '_' or '__' or runs of '-' between them.
bool validComponent(std::string_view c) {
  if (c.empty() || !isLower(c.front()) || !isLower(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (isLower(ch)) continue;
    if (ch == '-') continue;
    if (ch == '.' || ch == '_') {
      bool doubleUnderscore = ch == '_' && i + 1 < c.size() && c[i + 1] == '_';
      size_t next = i + (doubleUnderscore ? 2 : 1);
      if (next >= c.size() || !isLower(c[next])) return false;
      i = next - 1;
      continue;
    }
    return false;
  }
  // '-' may not directly precede a '.' or '_' and may not end: checked by isLower(back) and here.
  for (size_t i = 0; i + 1 < c.size(); ++i)
    if (c[i] == '-' && (c[i + 1] == '.' || c[i + 1] == '_')) return false;
  return true;
}

bool validTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  if (!(isAlnum(t[0]) || t[0] == '_')) return false;
  for (char c : t)
    if (!(isAlnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

Result<void> validateRegistry(std::string_view host) {
  std::string_view name = host;
  std::string_view port;
  if (host.starts_with('[')) {  // [IPv6]:port
    auto close = host.find(']');
    if (close == std::string_view::npos) return fail("registry host '{}' has an unclosed '['", host);
    for (char c : host.substr(1, close - 1))
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'))
        return fail("registry host '{}' is not a valid IPv6 address", host);
    auto rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return fail("registry host '{}': expected ':port' after ']'", host);
    if (!rest.empty()) port = rest.substr(1);
    name = {};
    if (rest.starts_with(':') && port.empty()) return fail("registry host '{}' has an empty port", host);
  } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return fail("registry host '{}' has an empty port", host);
  }
  if (!port.empty()) {
    if (port.size() > 5) return fail("registry port '{}' is not a port number (1-65535)", port);
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return fail("registry port '{}' is not a port number (1-65535)", port);
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return fail("registry port '{}' is not a port number (1-65535)", port);
  }
  if (!host.starts_with('[')) {
    if (name.empty() || name.size() > 253) return fail("registry host '{}' is empty or too long", host);
    for (char c : name)
      if (!(isAlnum(c) || c == '.' || c == '-'))
        return fail("registry host '{}' may contain only letters, digits, '.' and '-'", host);
    if (name.front() == '-' || name.front() == '.' || name.back() == '-' || name.back() == '.')
      return fail("registry host '{}' may not start or end with '.' or '-'", host);
  }
  return {};
}

}  // namespace

std::string ImageRef::toString() const {
  std::string out = registry + "/" + repository;
  if (!tag.empty()) out += ":" + tag;
  if (digest) out += "@" + *digest;
  return out;
}

ImageRef ImageRef::withTag(std::string newTag) const {
  ImageRef copy = *this;
  copy.tag = std::move(newTag);
  copy.digest.reset();
  return copy;
}

bool ImageRef::isLoopback() const {
  std::string_view host = registry;
  if (host.starts_with("[::1]")) return true;
  host = host.substr(0, host.find(':'));
  if (host == "localhost") return true;
  // 127.0.0.0/8 as a dotted quad only: a name like 127.example.com is not loopback.
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

Result<ImageRef> parseImageRef(std::string_view text) {
  if (text.empty()) return fail("empty image ref; write host[:port]/repository[:tag], {}", kExample);
  if (text.size() > 1024) return fail("image ref is {} characters long; the limit is 1024", text.size());
  if (text.find("://") != std::string_view::npos)
    return fail("image ref '{}' has a URL scheme; write it without one, {}", text, kExample);
  for (char c : text)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return fail("image ref '{}' contains whitespace or a control character", text);

  ImageRef ref;
  std::string_view rest = text;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto digest = rest.substr(at + 1);
    if (auto ok = validateDigest(digest); !ok) return fail(std::move(ok.error()).context(fmt::format("image ref '{}'", text)));
    ref.digest = std::string(digest);
    rest = rest.substr(0, at);
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    return fail("image ref '{}' has no registry host; write host[:port]/repository[:tag], {}", text, kExample);
  auto host = rest.substr(0, slash);
  if (host.find('.') == std::string_view::npos && host.find(':') == std::string_view::npos && host != "localhost")
    return fail("image ref '{}' does not start with a registry host ('{}' has no '.' or ':' and is not localhost); "
                "write host[:port]/repository[:tag], {}", text, host, kExample);
  if (auto ok = validateRegistry(host); !ok) return fail(std::move(ok.error()).context(fmt::format("image ref '{}'", text)));
  ref.registry = std::string(host);
  auto path = rest.substr(slash + 1);

  // A ':' after the last '/' separates the tag.
  auto lastSlash = path.rfind('/');
  auto colon = path.rfind(':');
  if (colon != std::string_view::npos && (lastSlash == std::string_view::npos || colon > lastSlash)) {
    auto tag = path.substr(colon + 1);
    if (!validTag(tag))
      return fail("image ref '{}': tag '{}' is not valid (1-128 of [A-Za-z0-9_.-], not starting with '.' or '-')",
                  text, tag);
    ref.tag = std::string(tag);
    path = path.substr(0, colon);
  }
  if (path.empty()) return fail("image ref '{}' has no repository after the registry host; {}", text, kExample);
  if (path.size() > 255) return fail("image ref '{}': repository is longer than 255 characters", text);
  std::string_view components = path;
  while (true) {
    auto next = components.find('/');
    auto component = components.substr(0, next);
    if (!validComponent(component))
      return fail("image ref '{}': repository component '{}' is not valid (lowercase letters and digits, "
                  "separated by '.', '_', '__' or '-')", text, component);
    if (next == std::string_view::npos) break;
    components = components.substr(next + 1);
  }
  ref.repository = std::string(path);
  if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
  return ref;
}

}  // namespace pelato::oci
