// Whether bytes are well-formed UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF): text that goes out as JSON must be, and yaml-cpp passes stray bytes through.
#pragma once

#include <string_view>

namespace pelato {

bool validUtf8(std::string_view text);

}  // namespace pelato
