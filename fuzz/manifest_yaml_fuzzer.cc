// libFuzzer target: arbitrary bytes through the wadm manifest parser (YAML and JSON through
// yaml-cpp). Each input must end in a manifest or an error with a message: never a crash, a
// sanitizer report, an escaping exception or a hang. What parses must survive a JSON round trip
// unchanged, and every spreadscaler must place exactly its instances (or report them unplaced)
// over hosts built from its own requirements.
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "orchestrator/manifest.h"
#include "orchestrator/spread.h"

using namespace pelato::orchestrator;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  fprintf(stderr, "manifest_yaml_fuzzer: %s\n", what);
  __builtin_trap();
}

void checkSpread(const SpreadScaler& scaler) {
  // One host per entry carrying its requirements, plus one with no labels; then none at all.
  std::vector<HostView> hosts = {{"unlabelled", {}, 1}};
  for (size_t i = 0; i < scaler.spread.size(); ++i)
    hosts.push_back(
        {std::to_string(i), scaler.spread[i].requirements, static_cast<uint32_t>(i % 3)});
  for (size_t n : {hosts.size(), size_t{1}, size_t{0}}) {
    auto plan = computeSpread(scaler, std::span(hosts).first(n));
    uint64_t placed = plan.unplaced;
    for (const auto& t : plan.targets) placed += t.instances;
    check(placed == scaler.instances, "spread does not place exactly the requested instances");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = parseManifest(text);
  if (!manifest) {
    check(!manifest.error().message().empty(), "error without a message");
    return 0;
  }
  auto again = parseManifest(manifestToJson(*manifest).dump());
  check(again.has_value(), "serialised manifest does not parse");
  check(*again == *manifest, "manifest changed in a JSON round trip");
  for (const auto& component : manifest->components)
    for (const auto& trait : component.traits)
      if (const auto* s = std::get_if<SpreadScaler>(&trait)) checkSpread(*s);
  return 0;
}
