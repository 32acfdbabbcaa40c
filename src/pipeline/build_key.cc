#include "pipeline/build_key.h"

#include <algorithm>

#include "common/sha256.h"

namespace pelato::pipeline {

std::string buildKey(BuildInputs inputs) {
  std::sort(inputs.files.begin(), inputs.files.end());
  // Length-prefixed fields, so no two different inputs serialise alike.
  std::string text;
  auto field = [&](std::string_view s) { text += std::to_string(s.size()) + ":" + std::string(s) + ";"; };
  field("pelato-build-v1");
  field(std::to_string(inputs.command.size()));
  for (const auto& arg : inputs.command) field(arg);
  field(inputs.compilerIdentity);
  field(inputs.signer);
  field(inputs.pelatoVersion);
  field(std::to_string(inputs.files.size()));
  for (const auto& [name, contents] : inputs.files) {
    field(name);
    field(contents);
  }
  return sha256Hex({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

}  // namespace pelato::pipeline
