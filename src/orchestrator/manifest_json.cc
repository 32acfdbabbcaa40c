// manifestToJson: the Manifest back in wadm's field names. The output is canonical (links name
// their target and use source_config/target_config), so parse(serialise(m)) == m.
#include "orchestrator/manifest.h"

namespace pelato::orchestrator {

namespace {

using Json = nlohmann::json;

Json configJson(const std::vector<ConfigEntry>& entries) {
  Json out = Json::array();
  for (const auto& e : entries) {
    if (!e.properties) {
      out.push_back(e.name);  // a reference to config stored in the lattice
    } else {
      out.push_back({{"name", e.name}, {"properties", *e.properties}});
    }
  }
  return out;
}

Json spreadJson(uint32_t instances, const std::vector<Spread>& spread) {
  Json entries = Json::array();
  for (const auto& s : spread) {
    Json entry = {{"name", s.name}, {"weight", s.weight}};
    if (!s.requirements.empty()) entry["requirements"] = s.requirements;
    entries.push_back(std::move(entry));
  }
  Json props = {{"instances", instances}};
  if (!spread.empty()) props["spread"] = std::move(entries);
  return props;
}

Json traitJson(const Trait& trait) {
  Json props;
  if (const auto* s = std::get_if<SpreadScaler>(&trait)) {
    props = spreadJson(s->instances, s->spread);
  } else if (const auto* d = std::get_if<DaemonScaler>(&trait)) {
    props = spreadJson(d->instances, d->spread);
  } else {
    const auto& link = std::get<LinkTrait>(trait);
    props = {{"target", link.target},
             {"namespace", link.namespace_},
             {"package", link.package},
             {"interfaces", link.interfaces}};
    if (!link.name.empty()) props["name"] = link.name;
    if (!link.sourceConfig.empty()) props["source_config"] = configJson(link.sourceConfig);
    if (!link.targetConfig.empty()) props["target_config"] = configJson(link.targetConfig);
  }
  return {{"type", traitTypeName(trait)}, {"properties", std::move(props)}};
}

}  // namespace

nlohmann::json manifestToJson(const Manifest& manifest) {
  Json metadata = {{"name", manifest.name}};
  if (!manifest.annotations.empty()) metadata["annotations"] = manifest.annotations;
  if (!manifest.labels.empty()) metadata["labels"] = manifest.labels;
  Json components = Json::array();
  for (const auto& c : manifest.components) {
    Json props = {{"image", c.image}};
    if (c.id) props["id"] = *c.id;
    if (!c.config.empty()) props["config"] = configJson(c.config);
    if (c.stateful) props["stateful"] = true;
    if (c.snapshotIntervalMs) props["snapshot_interval_ms"] = c.snapshotIntervalMs;
    Json component = {
        {"name", c.name}, {"type", componentTypeName(c.type)}, {"properties", std::move(props)}};
    if (!c.traits.empty()) {
      Json traits = Json::array();
      for (const auto& t : c.traits) traits.push_back(traitJson(t));
      component["traits"] = std::move(traits);
    }
    components.push_back(std::move(component));
  }
  return {{"apiVersion", kOamApiVersion},
          {"kind", kOamKind},
          {"metadata", std::move(metadata)},
          {"spec", {{"components", std::move(components)}}}};
}

}  // namespace pelato::orchestrator
