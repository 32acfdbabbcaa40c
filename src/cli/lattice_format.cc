#include "cli/lattice_format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/table.h"

namespace pelato::cli {

std::string formatLabels(const lattice::StringMap& labels) {
  std::vector<std::string> pairs;
  for (const auto& [key, value] : labels) pairs.push_back(key + "=" + value);
  return fmt::format("{}", fmt::join(pairs, ","));
}

std::string formatUptime(uint64_t seconds) {
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) return fmt::format("{}m {}s", seconds / 60, seconds % 60);
  if (seconds < 86400) return fmt::format("{}h {}m", seconds / 3600, seconds / 60 % 60);
  return fmt::format("{}d {}h", seconds / 86400, seconds / 3600 % 24);
}

std::string formatHosts(const std::vector<lattice::Host>& hosts, const std::string& lattice) {
  if (hosts.empty())
    return fmt::format("no hosts answered on lattice {}; start one with `pelato host --lattice {}`\n",
                       lattice, lattice);
  Table table({"HOST ID", "NAME", "LABELS", "UPTIME", "VERSION"});
  for (const auto& host : hosts)
    table.addRow({host.id, host.friendlyName, formatLabels(host.labels), formatUptime(host.uptimeSeconds),
                  host.version.value_or("")});
  return table.render();
}

std::string formatInventory(const lattice::HostInventory& inventory) {
  Table facts({"HOST ID", inventory.hostId});
  facts.addRow({"NAME", inventory.friendlyName});
  facts.addRow({"LABELS", formatLabels(inventory.labels)});
  facts.addRow({"UPTIME", formatUptime(inventory.uptimeSeconds)});
  facts.addRow({"VERSION", inventory.version});
  std::string out = facts.render() + "\n";

  if (inventory.components.empty()) {
    out += "no components\n";
  } else {
    Table components({"COMPONENT ID", "IMAGE REF", "INSTANCES", "QUEUE"});
    for (const auto& c : inventory.components)
      components.addRow({c.id, c.imageRef, std::to_string(c.maxInstances),
                         c.load ? std::to_string(c.load->queueDepth) : ""});
    out += components.render();
  }
  if (!inventory.providers.empty()) {
    Table providers({"PROVIDER ID", "IMAGE REF"});
    for (const auto& p : inventory.providers) providers.addRow({p.id, p.imageRef.value_or("")});
    out += "\n" + providers.render();
  }
  return out;
}

std::string formatWitInterfaces(const std::string& witNamespace, const std::string& witPackage,
                                const std::vector<std::string>& interfaces) {
  return fmt::format("{}:{}/{}", witNamespace, witPackage, fmt::join(interfaces, ","));
}

std::string formatLinks(const std::vector<lattice::Link>& links) {
  if (links.empty()) return "no links\n";
  Table table({"SOURCE", "NAME", "TARGET", "INTERFACES", "SOURCE CONFIG", "TARGET CONFIG"});
  for (const auto& link : links)
    table.addRow({link.sourceId, link.name, link.target,
                  formatWitInterfaces(link.witNamespace, link.witPackage, link.interfaces),
                  fmt::format("{}", fmt::join(link.sourceConfig, " ")),
                  fmt::format("{}", fmt::join(link.targetConfig, " "))});
  return table.render();
}

}  // namespace pelato::cli
