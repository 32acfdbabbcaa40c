#include "oci/wasm_config.h"

#include <fmt/format.h>

#include "oci/digest.h"
#include "oci/json_fields.h"

namespace pelato::oci {

std::string serializeWasmConfig(const WasmConfig& config) {
  nlohmann::ordered_json out;
  if (!config.created.empty()) out["created"] = config.created;
  out["architecture"] = config.architecture;
  out["os"] = config.os;
  out["layerDigests"] = config.layerDigests;
  return dumpJson(out);
}

Result<WasmConfig> parseWasmConfig(std::string_view text) {
  if (text.size() > kMaxConfigBytes)
    return fail("wasm config is {} bytes; pelato reads configs up to {} bytes", text.size(), kMaxConfigBytes);
  auto parsed = parseJsonObject(text, "wasm config");
  if (!parsed) return fail(std::move(parsed.error()));
  const auto& doc = *parsed;
  WasmConfig c;
  auto created = optionalString(doc, "created", "wasm config");
  if (!created) return fail(std::move(created.error()));
  c.created = std::move(*created);
  auto architecture = requiredString(doc, "architecture", "wasm config");
  if (!architecture) return fail(std::move(architecture.error()));
  if (*architecture != "wasm")
    return fail("wasm config: \"architecture\" is '{}', expected 'wasm'", architecture->substr(0, 64));
  c.architecture = std::move(*architecture);
  auto os = optionalString(doc, "os", "wasm config");
  if (!os) return fail(std::move(os.error()));
  c.os = std::move(*os);
  if (auto it = doc.find("layerDigests"); it != doc.end()) {
    if (!it->is_array()) return fail("wasm config: \"layerDigests\" must be an array, got {}", it->type_name());
    for (size_t i = 0; i < it->size(); ++i) {
      const auto& d = (*it)[i];
      if (!d.is_string()) return fail("wasm config: layerDigests[{}] must be a string", i);
      auto digest = d.get<std::string>();
      if (auto ok = validateDigest(digest); !ok)
        return fail(std::move(ok.error()).context(fmt::format("wasm config: layerDigests[{}]", i)));
      c.layerDigests.push_back(std::move(digest));
    }
  }
  return c;
}

}  // namespace pelato::oci
