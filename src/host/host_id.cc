#include "host/host_id.h"

#include <random>

namespace pelato::host {

namespace {
constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

std::string newHostId() {
  std::random_device random;
  std::string id = "N";
  while (id.size() < kHostIdLength) id += kBase32[random() % kBase32.size()];
  return id;
}

bool looksLikeHostId(std::string_view id) {
  if (id.size() != kHostIdLength || id[0] != 'N') return false;
  for (char c : id.substr(1))
    if (kBase32.find(c) == std::string_view::npos) return false;
  return true;
}

}  // namespace pelato::host
