#include "orchestrator/app_store.h"

#include <algorithm>

#include <fmt/format.h>

namespace pelato::orchestrator {

const StoredVersion* StoredApp::find(std::string_view version) const {
  if (versions.empty()) return nullptr;
  if (version.empty() || version == "latest") return &versions.back();
  auto it = std::find_if(versions.begin(), versions.end(), [&](const StoredVersion& v) { return v.version == version; });
  return it == versions.end() ? nullptr : &*it;
}

nlohmann::json StoredApp::toJson() const {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& v : versions) all.push_back({{"version", v.version}, {"manifest", manifestToJson(v.manifest)}});
  nlohmann::json out{{"name", name}, {"versions", std::move(all)}};
  out["deployed"] = deployed ? nlohmann::json(*deployed) : nlohmann::json();
  if (!moves.empty()) out["moves"] = moves;
  return out;
}

Result<StoredApp> StoredApp::fromJson(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("name") || !json["name"].is_string() ||
      !json.contains("versions") || !json["versions"].is_array())
    return fail("stored application is not an object with name and versions");
  StoredApp app{.name = json["name"].get<std::string>()};
  for (const auto& v : json["versions"]) {
    if (!v.is_object() || !v.contains("version") || !v["version"].is_string() || !v.contains("manifest"))
      return fail("stored application {}: a version without version and manifest", app.name);
    auto manifest = parseManifest(v["manifest"].dump());
    if (!manifest) return fail(std::move(manifest.error()).context(fmt::format("stored application {}", app.name)));
    app.versions.push_back({v["version"].get<std::string>(), std::move(*manifest)});
  }
  if (app.versions.empty()) return fail("stored application {} has no versions", app.name);
  if (json.contains("deployed") && json["deployed"].is_string()) app.deployed = json["deployed"].get<std::string>();
  if (json.contains("moves")) {
    try {
      app.moves = json["moves"].get<Moves>();
    } catch (const nlohmann::json::exception&) {
      return fail("stored application {}: moves is not a map of component → {{from host → to host}}", app.name);
    }
  }
  return app;
}

Result<PutOutcome> putVersion(StoredApp& app, Manifest manifest) {
  if (!app.name.empty() && manifest.name != app.name)
    return fail("manifest is named {}, not {}", manifest.name, app.name);
  app.name = manifest.name;
  std::string version = manifest.version();
  if (version.empty()) {
    for (size_t n = app.versions.size() + 1; version.empty() || app.find(version); ++n) version = fmt::format("v{}", n);
    manifest.annotations["version"] = version;
  } else if (const auto* stored = app.find(version)) {
    if (stored->manifest == manifest) return PutOutcome::Unchanged;
    return fail("{} version {} is already stored with other content; versions are immutable, so give this "
                "one a new `version` annotation (or leave it out to get one)",
                app.name, version);
  }
  bool first = app.versions.empty();
  app.versions.push_back({std::move(version), std::move(manifest)});
  return first ? PutOutcome::Created : PutOutcome::NewVersion;
}

Result<bool> deleteVersions(StoredApp& app, const std::optional<std::string>& version) {
  if (!version || version->empty()) {
    app.versions.clear();
    bool wasDeployed = app.deployed.has_value();
    app.deployed.reset();
    return wasDeployed;
  }
  auto it = std::find_if(app.versions.begin(), app.versions.end(), [&](const StoredVersion& v) { return v.version == *version; });
  if (it == app.versions.end()) return fail("{} has no version {}; `pelato app versions {}` lists them", app.name, *version, app.name);
  app.versions.erase(it);
  if (app.deployed != *version) return false;
  app.deployed.reset();
  return true;
}

}  // namespace pelato::orchestrator
