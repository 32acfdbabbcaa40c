// `pelato get hosts` and `pelato get inventory HOST`: what runs on the lattice.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/lattice_format.h"
#include "cli/lattice_options.h"
#include "cli/output_format.h"

namespace pelato::cli {

namespace {

struct GetOptions {
  LatticeOptions lattice;
  OutputOptions output;
  uint64_t timeoutMs = 0;
  std::string hostId;
};

int getHosts(const GetOptions& o) {
  return runControl(o.lattice, std::chrono::milliseconds(o.timeoutMs), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto hosts = ctl.pingHosts(std::chrono::milliseconds(o.timeoutMs));
    if (!hosts) return fail(std::move(hosts.error()));
    if (o.output.json()) {
      lattice::Json array = lattice::Json::array();
      for (const auto& host : *hosts) array.push_back(host.toJson());
      fmt::print("{}", prettyJson(array));
    } else {
      fmt::print("{}", formatHosts(*hosts, o.lattice.lattice));
    }
    return {};
  });
}

int getInventory(const GetOptions& o) {
  return runControl(o.lattice, std::chrono::milliseconds(o.timeoutMs), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto inventory = ctl.inventory(o.hostId);
    if (!inventory) return fail(std::move(inventory.error()));
    fmt::print("{}", o.output.json() ? prettyJson(inventory->toJson()) : formatInventory(*inventory));
    return {};
  });
}

}  // namespace

void addGetCommand(CLI::App& app, Action& action) {
  auto* get = app.add_subcommand("get", "Show the lattice: hosts, a host's inventory");
  get->require_subcommand(1);

  auto hosts = std::make_shared<GetOptions>(GetOptions{.timeoutMs = 1000});
  auto* hostsCmd = get->add_subcommand("hosts", "List the hosts that answer a ping (host.ping)");
  hosts->lattice.addTo(*hostsCmd);
  hosts->output.addTo(*hostsCmd);
  hostsCmd->add_option("--timeout-ms", hosts->timeoutMs, "How long to collect replies")->capture_default_str();
  hostsCmd->callback([hosts, &action] { action = [hosts] { return getHosts(*hosts); }; });

  auto inventory = std::make_shared<GetOptions>(GetOptions{.timeoutMs = 2000});
  auto* inventoryCmd = get->add_subcommand("inventory", "Show one host's components, labels and uptime (host.get)");
  inventoryCmd->add_option("host", inventory->hostId, "Host id (see `pelato get hosts`)")->required();
  inventory->lattice.addTo(*inventoryCmd);
  inventory->output.addTo(*inventoryCmd);
  inventoryCmd->add_option("--timeout-ms", inventory->timeoutMs, "How long to wait for the reply")->capture_default_str();
  inventoryCmd->callback([inventory, &action] { action = [inventory] { return getInventory(*inventory); }; });
}

}  // namespace pelato::cli
