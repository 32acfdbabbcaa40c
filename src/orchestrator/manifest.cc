// The manifest parser: yaml-cpp builds the node tree (it reads JSON too), then a validating
// walk turns it into plain structs. yaml-cpp throws; every exception is caught here and becomes
// an error, so none reaches the caller.
#include "orchestrator/manifest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <set>

#include "common/utf8.h"

namespace pelato::orchestrator {

namespace {

constexpr uint32_t kMaxInstances = 1'000'000;  // far above any lattice; keeps sums in range
constexpr uint32_t kMaxWeight = 1'000'000;

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return fmt::format("\"{}\"", node.Scalar());
    default:
      return "nothing";
  }
}

// A node with the path it sits at, for error messages.
struct Field {
  YAML::Node node;
  std::string path;

  bool present() const { return node.IsDefined() && !node.IsNull(); }
  // Const lookups only: yaml-cpp's non-const operator[] inserts keys and throws on scalars.
  Field operator[](std::string_view key) const {
    std::string where = path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
    if (!node.IsMap()) return {YAML::Node(), std::move(where)};
    const YAML::Node& n = node;
    YAML::Node value = n[std::string(key)];
    // A missing key gives a "zombie" whose Type() throws; use a plain null node instead.
    if (!value.IsDefined()) return {YAML::Node(), std::move(where)};
    return {value, std::move(where)};
  }
  Field at(size_t i) const {
    const YAML::Node& n = node;
    return {n[i], fmt::format("{}[{}]", path, i)};
  }
};

std::unexpected<Error> invalid(const Field& f, std::string_view reason) {
  return fail("{}: {}", f.path, reason);
}

Result<void> expectMap(const Field& f) {
  if (!f.node.IsMap()) return invalid(f, fmt::format("must be a map, got {}", describe(f.node)));
  return {};
}

// Rejects keys other than `known`: a typo like `weigth` must not silently become a default.
Result<void> onlyKeys(const Field& f, std::initializer_list<std::string_view> known) {
  for (const auto& kv : f.node) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("<non-scalar key>");
    if (std::find(known.begin(), known.end(), key) == known.end())
      return invalid(f,
                     fmt::format("unknown field \"{}\" (known: {})", key, fmt::join(known, ", ")));
  }
  return {};
}


Result<std::string> scalar(const Field& f) {
  if (!f.node.IsScalar())
    return invalid(f, fmt::format("must be a string, got {}", describe(f.node)));
  if (!validUtf8(f.node.Scalar())) return invalid(f, "must be valid UTF-8 text");
  return f.node.Scalar();
}

Result<std::string> requiredString(const Field& f) {
  if (!f.present()) return invalid(f, "is required");
  auto s = scalar(f);
  if (s && s->empty()) return invalid(f, "must not be empty");
  return s;
}

Result<std::string> optionalString(const Field& f) {
  if (!f.present()) return std::string();
  return scalar(f);
}

// Plain (unquoted) decimal integers only, as wadm's typed fields are.
Result<uint32_t> unsignedInt(const Field& f, uint32_t max, std::string_view what) {
  auto bad = [&] { return invalid(f, fmt::format("must be a non-negative integer{}", what)); };
  if (!f.node.IsScalar() || f.node.Tag() == "!") return bad();
  const std::string& text = f.node.Scalar();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return bad();
  if (value > max) return invalid(f, fmt::format("must be at most {}", max));
  return static_cast<uint32_t>(value);
}

Result<StringMap> stringMap(const Field& f) {
  StringMap out;
  if (!f.present()) return out;
  if (auto m = expectMap(f); !m) return std::unexpected(m.error());
  for (const auto& kv : f.node) {
    if (!kv.first.IsScalar() || !validUtf8(kv.first.Scalar()))
      return invalid(f, "keys must be UTF-8 strings");
    auto value = scalar({kv.second, fmt::format("{}.{}", f.path, kv.first.Scalar())});
    if (!value) return std::unexpected(value.error());
    out[kv.first.Scalar()] = *value;
  }
  return out;
}

// `config:` lists: bare names (config stored in the lattice) or {name, properties}.
Result<std::vector<ConfigEntry>> configList(const Field& f) {
  std::vector<ConfigEntry> out;
  if (!f.present()) return out;
  if (!f.node.IsSequence())
    return invalid(f, fmt::format("must be a list of config names or {{name, properties}}, got {}",
                                  describe(f.node)));
  for (size_t i = 0; i < f.node.size(); ++i) {
    Field item = f.at(i);
    if (item.node.IsScalar()) {
      auto name = requiredString(item);
      if (!name) return std::unexpected(name.error());
      out.push_back({.name = *name});
      continue;
    }
    if (auto m = expectMap(item); !m) return std::unexpected(m.error());
    if (auto k = onlyKeys(item, {"name", "properties"}); !k) return std::unexpected(k.error());
    auto name = requiredString(item["name"]);
    if (!name) return std::unexpected(name.error());
    auto props = stringMap(item["properties"]);
    if (!props) return std::unexpected(props.error());
    out.push_back({.name = *name, .properties = std::move(*props)});
  }
  return out;
}

Result<std::vector<Spread>> spreadList(const Field& f) {
  std::vector<Spread> out;
  if (!f.present()) return out;
  if (!f.node.IsSequence())
    return invalid(f, fmt::format("must be a list, got {}", describe(f.node)));
  std::set<std::string> names;
  for (size_t i = 0; i < f.node.size(); ++i) {
    Field item = f.at(i);
    if (auto m = expectMap(item); !m) return std::unexpected(m.error());
    if (auto k = onlyKeys(item, {"name", "weight", "requirements"}); !k)
      return std::unexpected(k.error());
    Spread spread;
    auto name = requiredString(item["name"]);
    if (!name) return std::unexpected(name.error());
    if (!names.insert(*name).second)
      return invalid(
          item["name"],
          fmt::format("duplicate spread name \"{}\"; give each entry its own name", *name));
    spread.name = *name;
    if (Field w = item["weight"]; w.present()) {
      auto weight = unsignedInt(w, kMaxWeight, " (a share relative to the other entries, e.g. 50)");
      if (!weight) return std::unexpected(weight.error());
      spread.weight = *weight;
    }
    auto reqs = stringMap(item["requirements"]);
    if (!reqs) return std::unexpected(reqs.error());
    spread.requirements = std::move(*reqs);
    out.push_back(std::move(spread));
  }
  return out;
}

template <typename Scaler>
Result<Trait> scalerTrait(const Field& props, bool daemon) {
  if (auto k = onlyKeys(props, {"instances", "spread"}); !k) return std::unexpected(k.error());
  Scaler scaler;
  Field inst = props["instances"];
  if (!inst.present()) return invalid(inst, "is required (how many instances to run)");
  auto instances = unsignedInt(inst, kMaxInstances, "");
  if (!instances) return std::unexpected(instances.error());
  scaler.instances = *instances;
  auto spread = spreadList(props["spread"]);
  if (!spread) return std::unexpected(spread.error());
  scaler.spread = std::move(*spread);
  if (!daemon && scaler.instances > 0 && !scaler.spread.empty()) {
    bool anyWeight = std::any_of(scaler.spread.begin(), scaler.spread.end(),
                                 [](const Spread& s) { return s.weight > 0; });
    if (!anyWeight)
      return invalid(props["spread"],
                     "all weights are 0; give at least one entry a positive weight");
  }
  return Trait(std::move(scaler));
}

Result<Trait> linkTrait(const Field& props) {
  if (auto k = onlyKeys(props, {"target", "namespace", "package", "interfaces", "name", "source",
                                "source_config", "target_config"});
      !k)
    return std::unexpected(k.error());
  LinkTrait link;
  Field target = props["target"];
  bool nestedTargetConfig = false;
  if (target.node.IsMap()) {  // wadm 0.13+: target: {name, config}
    if (auto k = onlyKeys(target, {"name", "config"}); !k) return std::unexpected(k.error());
    auto name = requiredString(target["name"]);
    if (!name) return std::unexpected(name.error());
    link.target = *name;
    auto config = configList(target["config"]);
    if (!config) return std::unexpected(config.error());
    link.targetConfig = std::move(*config);
    nestedTargetConfig = target["config"].present();
  } else {
    auto name = requiredString(target);
    if (!name) return std::unexpected(name.error());
    link.target = *name;
  }
  for (auto [key, member] :
       {std::pair{"namespace", &link.namespace_}, std::pair{"package", &link.package}}) {
    auto value = requiredString(props[key]);
    if (!value) return std::unexpected(value.error());
    *member = *value;
  }
  Field ifaces = props["interfaces"];
  if (!ifaces.node.IsSequence() || ifaces.node.size() == 0)
    return invalid(ifaces, "must be a non-empty list of interface names, e.g. [consumer]");
  for (size_t i = 0; i < ifaces.node.size(); ++i) {
    auto iface = requiredString(ifaces.at(i));
    if (!iface) return std::unexpected(iface.error());
    link.interfaces.push_back(*iface);
  }
  auto name = optionalString(props["name"]);
  if (!name) return std::unexpected(name.error());
  link.name = *name;

  Field source = props["source"];
  if (source.present()) {  // wadm 0.13+: source: {config}
    if (auto m = expectMap(source); !m) return std::unexpected(m.error());
    if (auto k = onlyKeys(source, {"config"}); !k) return std::unexpected(k.error());
    if (props["source_config"].present())
      return invalid(props["source_config"],
                     "give source config once: either source.config or source_config");
    auto config = configList(source["config"]);
    if (!config) return std::unexpected(config.error());
    link.sourceConfig = std::move(*config);
  } else {
    auto config = configList(props["source_config"]);
    if (!config) return std::unexpected(config.error());
    link.sourceConfig = std::move(*config);
  }
  if (props["target_config"].present()) {
    if (nestedTargetConfig)
      return invalid(props["target_config"],
                     "give target config once: either target.config or target_config");
    auto config = configList(props["target_config"]);
    if (!config) return std::unexpected(config.error());
    link.targetConfig = std::move(*config);
  }
  return Trait(std::move(link));
}

Result<Trait> trait(const Field& f) {
  if (auto m = expectMap(f); !m) return std::unexpected(m.error());
  if (auto k = onlyKeys(f, {"type", "properties"}); !k) return std::unexpected(k.error());
  auto type = requiredString(f["type"]);
  if (!type) return std::unexpected(type.error());
  Field props = f["properties"];
  if (!props.present()) return invalid(props, "is required");
  if (auto m = expectMap(props); !m) return std::unexpected(m.error());
  if (*type == "spreadscaler") return scalerTrait<SpreadScaler>(props, false);
  if (*type == "daemonscaler") return scalerTrait<DaemonScaler>(props, true);
  if (*type == "link") return linkTrait(props);
  return invalid(
      f["type"],
      fmt::format("unknown trait type \"{}\" (known: spreadscaler, daemonscaler, link)", *type));
}

Result<Component> component(const Field& f) {
  if (auto m = expectMap(f); !m) return std::unexpected(m.error());
  Component c;
  auto name = requiredString(f["name"]);
  if (!name) return std::unexpected(name.error());
  c.name = *name;
  auto type = requiredString(f["type"]);
  if (!type) return std::unexpected(type.error());
  if (*type == "component")
    c.type = ComponentType::Component;
  else if (*type == "capability")
    c.type = ComponentType::Capability;
  else
    return invalid(
        f["type"],
        fmt::format("unknown component type \"{}\" (known: component, capability)", *type));

  Field props = f["properties"];
  if (!props.present()) return invalid(props, "is required (at least the image)");
  if (auto m = expectMap(props); !m) return std::unexpected(m.error());
  auto image = requiredString(props["image"]);
  if (!image) return std::unexpected(image.error());
  c.image = *image;
  if (props["id"].present()) {
    auto id = requiredString(props["id"]);
    if (!id) return std::unexpected(id.error());
    c.id = *id;
  }
  auto config = configList(props["config"]);
  if (!config) return std::unexpected(config.error());
  c.config = std::move(*config);
  if (Field stateful = props["stateful"]; stateful.present()) {
    auto text = scalar(stateful);
    if (!text || (*text != "true" && *text != "false")) return invalid(stateful, "must be true or false");
    c.stateful = *text == "true";
  }
  if (Field interval = props["snapshot_interval_ms"]; interval.present()) {
    auto ms = unsignedInt(interval, 86'400'000, " of milliseconds (at most a day)");
    if (!ms) return std::unexpected(ms.error());
    if (!c.stateful) return invalid(interval, "applies to stateful components only; add `stateful: true`");
    c.snapshotIntervalMs = *ms;
  }

  Field traits = f["traits"];
  if (traits.present()) {
    if (!traits.node.IsSequence())
      return invalid(traits, fmt::format("must be a list, got {}", describe(traits.node)));
    int scalers = 0;
    for (size_t i = 0; i < traits.node.size(); ++i) {
      auto t = trait(traits.at(i));
      if (!t) return std::unexpected(t.error());
      if (!std::holds_alternative<LinkTrait>(*t) && ++scalers > 1)
        return invalid(
            traits.at(i),
            "a component takes one scaler (spreadscaler or daemonscaler); merge them into one");
      if (c.stateful) {
        auto* spread = std::get_if<SpreadScaler>(&*t);
        if (std::holds_alternative<DaemonScaler>(*t) || (spread && spread->instances > 1))
          return invalid(traits.at(i), "a stateful component runs one instance (its state lives in it): use a "
                                       "spreadscaler with instances: 1");
      }
      c.traits.push_back(std::move(*t));
    }
  }
  return c;
}

// Checks that need the whole manifest: unique component names, link targets that exist.
Result<void> crossCheck(const Manifest& m) {
  std::set<std::string> names;
  for (size_t i = 0; i < m.components.size(); ++i) {
    if (!names.insert(m.components[i].name).second)
      return fail(
          "spec.components[{}].name: duplicate component name \"{}\"; component names must be "
          "unique",
          i, m.components[i].name);
  }
  for (size_t i = 0; i < m.components.size(); ++i) {
    const auto& traits = m.components[i].traits;
    for (size_t t = 0; t < traits.size(); ++t) {
      const auto* link = std::get_if<LinkTrait>(&traits[t]);
      if (!link || names.contains(link->target)) continue;
      return fail(
          "spec.components[{}].traits[{}].properties.target: no component named \"{}\" in this "
          "manifest "
          "(known: {}); add it to spec.components or fix the name",
          i, t, link->target, fmt::join(names, ", "));
    }
  }
  return {};
}

Result<Manifest> manifestFrom(const YAML::Node& root) {
  Field doc{root, ""};
  if (!doc.node.IsMap())
    return fail("the manifest must be a map (an OAM Application), got {}", describe(root));
  auto api = requiredString(doc["apiVersion"]);
  if (!api) return std::unexpected(api.error());
  if (*api != kOamApiVersion)
    return invalid(doc["apiVersion"],
                   fmt::format("must be \"{}\", got \"{}\"", kOamApiVersion, *api));
  auto kind = requiredString(doc["kind"]);
  if (!kind) return std::unexpected(kind.error());
  if (*kind != kOamKind)
    return invalid(doc["kind"], fmt::format("must be \"{}\", got \"{}\"", kOamKind, *kind));

  Manifest m;
  Field meta = doc["metadata"];
  if (!meta.present()) return invalid(meta, "is required (at least metadata.name)");
  if (auto r = expectMap(meta); !r) return std::unexpected(r.error());
  auto name = requiredString(meta["name"]);
  if (!name) return std::unexpected(name.error());
  m.name = *name;
  auto annotations = stringMap(meta["annotations"]);
  if (!annotations) return std::unexpected(annotations.error());
  m.annotations = std::move(*annotations);
  auto labels = stringMap(meta["labels"]);
  if (!labels) return std::unexpected(labels.error());
  m.labels = std::move(*labels);

  Field spec = doc["spec"];
  if (!spec.present()) return invalid(spec, "is required (spec.components)");
  if (auto r = expectMap(spec); !r) return std::unexpected(r.error());
  Field comps = spec["components"];
  if (!comps.node.IsSequence() || comps.node.size() == 0)
    return invalid(comps, "must be a non-empty list of components");
  for (size_t i = 0; i < comps.node.size(); ++i) {
    auto c = component(comps.at(i));
    if (!c) return std::unexpected(c.error());
    m.components.push_back(std::move(*c));
  }
  if (auto r = crossCheck(m); !r) return std::unexpected(r.error());
  return m;
}

}  // namespace

std::string Manifest::version() const {
  auto it = annotations.find("version");
  return it == annotations.end() ? std::string() : it->second;
}

std::string Manifest::description() const {
  auto it = annotations.find("description");
  return it == annotations.end() ? std::string() : it->second;
}

std::string_view componentTypeName(ComponentType type) {
  return type == ComponentType::Capability ? "capability" : "component";
}

std::string_view traitTypeName(const Trait& trait) {
  if (std::holds_alternative<SpreadScaler>(trait)) return "spreadscaler";
  if (std::holds_alternative<DaemonScaler>(trait)) return "daemonscaler";
  return "link";
}

Result<Manifest> parseManifest(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    auto manifest = manifestFrom(root);
    if (!manifest) return fail(std::move(manifest.error()).context("invalid manifest"));
    return manifest;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp 0.7 gives this one the message "bad file"; say what happened.
    return fail(
        "invalid manifest: line {}, column {}: nested too deeply (yaml-cpp stops at 2000 levels); "
        "a manifest needs fewer than 10",
        e.mark.line + 1, e.mark.column + 1);
  } catch (const YAML::Exception& e) {
    // Marks are 0-based; editors count from 1.
    if (e.mark.is_null()) return fail("invalid manifest: {}", e.msg);
    return fail("invalid manifest: line {}, column {}: {}; fix the YAML syntax", e.mark.line + 1,
                e.mark.column + 1, e.msg);
  } catch (const std::exception& e) {
    return fail("invalid manifest: {}", e.what());
  }
}

}  // namespace pelato::orchestrator
