// Host ids: "N" followed by 55 base32 characters (A-Z, 2-7), the shape of a wasmCloud host's
// nkey public key, generated at random when a host starts.
#pragma once

#include <string>
#include <string_view>

namespace pelato::host {

inline constexpr size_t kHostIdLength = 56;

std::string newHostId();

// Whether `id` has the shape newHostId() produces.
bool looksLikeHostId(std::string_view id);

}  // namespace pelato::host
