// libFuzzer target: arbitrary bytes through the parsers that read what a registry sends —
// OCI manifests, wasm configs, registry error bodies, WWW-Authenticate challenges, token
// replies — and image refs. Each must end in a value or an error: never a crash, a sanitizer
// report, an exception or a hang. What parses must survive a serialise/parse round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "oci/auth_challenge.h"
#include "oci/image_ref.h"
#include "oci/manifest.h"
#include "oci/registry_error.h"
#include "oci/wasm_config.h"

using namespace pelato::oci;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto manifest = parseManifest(text)) {
    auto again = parseManifest(serializeManifest(*manifest));
    if (!again || !(*again == *manifest)) std::abort();  // serialise → parse must be the identity
    (void)wasmLayer(*manifest);
  }
  if (auto config = parseWasmConfig(text)) {
    auto again = parseWasmConfig(serializeWasmConfig(*config));
    if (!again || !(*again == *config)) std::abort();
  }
  (void)registryErrorMessage(text);
  (void)parseAuthChallenge(text);
  (void)parseTokenResponse(text);
  if (auto ref = parseImageRef(text)) {
    auto again = parseImageRef(ref->toString());
    if (!again || again->toString() != ref->toString()) std::abort();
  }
  return 0;
}
