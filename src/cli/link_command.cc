// `pelato link put|del|get`: the lattice's links (link.put, link.del, link.get).
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/lattice_format.h"
#include "cli/lattice_options.h"
#include "cli/output_format.h"

namespace pelato::cli {

namespace {

struct LinkOptions {
  LatticeOptions lattice;
  OutputOptions output;
  lattice::Link link;
  uint64_t timeoutMs = 2000;
};

std::chrono::milliseconds timeoutOf(const LinkOptions& o) { return std::chrono::milliseconds(o.timeoutMs); }

int linkPut(const LinkOptions& o) {
  return runControl(o.lattice, timeoutOf(o), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto message = ctl.linkPut(o.link);
    if (!message) return fail(std::move(message.error()));
    fmt::print("link put: {} -> {} on {} (name {}){}\n", o.link.sourceId, o.link.target,
               formatWitInterfaces(o.link.witNamespace, o.link.witPackage, o.link.interfaces), o.link.name,
               message->empty() ? "" : ": " + *message);
    return {};
  });
}

int linkDel(const LinkOptions& o) {
  return runControl(o.lattice, timeoutOf(o), [&](lattice::CtlClient& ctl) -> Result<void> {
    lattice::LinkDeleteRequest request{.sourceId = o.link.sourceId, .name = o.link.name,
                                       .witNamespace = o.link.witNamespace, .witPackage = o.link.witPackage};
    auto message = ctl.linkDel(request);
    if (!message) return fail(std::move(message.error()));
    fmt::print("link deleted: {} on {}:{} (name {}){}\n", request.sourceId, request.witNamespace,
               request.witPackage, request.name, message->empty() ? "" : ": " + *message);
    return {};
  });
}

int linkGet(const LinkOptions& o) {
  return runControl(o.lattice, timeoutOf(o), [&](lattice::CtlClient& ctl) -> Result<void> {
    auto links = ctl.linkGet();
    if (!links) return fail(std::move(links.error()));
    if (o.output.json()) {
      lattice::Json array = lattice::Json::array();
      for (const auto& link : *links) array.push_back(link.toJson());
      fmt::print("{}", prettyJson(array));
    } else {
      fmt::print("{}", formatLinks(*links));
    }
    return {};
  });
}

// The options naming a link: source, namespace, package and name.
void addIdentity(CLI::App& cmd, lattice::Link& link) {
  cmd.add_option("--source", link.sourceId, "Source component id")->required();
  cmd.add_option("--namespace", link.witNamespace, "WIT namespace, e.g. wasmcloud")->required();
  cmd.add_option("--package", link.witPackage, "WIT package, e.g. messaging")->required();
  cmd.add_option("--name", link.name, "Link name")->capture_default_str();
}

void addCommon(CLI::App& cmd, LinkOptions& o) {
  o.lattice.addTo(cmd);
  cmd.add_option("--timeout-ms", o.timeoutMs, "How long to wait for the reply")->capture_default_str();
}

}  // namespace

void addLinkCommand(CLI::App& app, Action& action) {
  auto* link = app.add_subcommand("link", "Put, delete and list the lattice's links");
  link->require_subcommand(1);

  auto put = std::make_shared<LinkOptions>();
  auto* putCmd = link->add_subcommand("put", "Create or replace a link (link.put)");
  addIdentity(*putCmd, put->link);
  putCmd->add_option("--target", put->link.target, "Target (component id, or e.g. nats for messaging)")->required();
  putCmd->add_option("--interface", put->link.interfaces, "WIT interface (repeatable), e.g. consumer")->required();
  putCmd->add_option("--source-config", put->link.sourceConfig, "Source config: a name or KEY=VALUE (repeatable)");
  putCmd->add_option("--target-config", put->link.targetConfig, "Target config: a name or KEY=VALUE (repeatable)");
  addCommon(*putCmd, *put);
  putCmd->callback([put, &action] { action = [put] { return linkPut(*put); }; });

  auto del = std::make_shared<LinkOptions>();
  auto* delCmd = link->add_subcommand("del", "Delete a link (link.del)");
  addIdentity(*delCmd, del->link);
  addCommon(*delCmd, *del);
  delCmd->callback([del, &action] { action = [del] { return linkDel(*del); }; });

  auto get = std::make_shared<LinkOptions>();
  auto* getCmd = link->add_subcommand("get", "List the links (link.get)");
  get->output.addTo(*getCmd);
  addCommon(*getCmd, *get);
  getCmd->callback([get, &action] { action = [get] { return linkGet(*get); }; });
}

}  // namespace pelato::cli
