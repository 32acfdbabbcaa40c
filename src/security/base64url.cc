#include "security/base64url.h"

#include <sodium.h>

namespace pelato::security {

std::string base64UrlEncode(std::span<const uint8_t> bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the encoder writes a terminating NUL
  return out;
}

Result<std::vector<uint8_t>> base64UrlDecode(std::string_view text) {
  std::vector<uint8_t> out(text.size() * 3 / 4 + 1);
  size_t length = 0;
  const char* end = nullptr;
  // libsodium rejects non-canonical trailing bits and characters outside the alphabet; `end`
  // tells where it stopped.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    size_t at = end ? size_t(end - text.data()) : 0;
    return fail("not base64url without padding (stopped at character {} of {})", at, text.size());
  }
  out.resize(length);
  return out;
}

}  // namespace pelato::security
