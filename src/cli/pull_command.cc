// `pelato pull REF -o FILE`: the module through the local OCI cache (verified by digest), copied
// to FILE; prints the manifest digest on stdout.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/registry_options.h"
#include "common/file.h"
#include "oci/registry.h"

namespace pelato::cli {

namespace {

struct PullOptions {
  std::string ref;
  std::string output;
  RegistryFlags registry;
};

Result<void> pull(const PullOptions& o) {
  auto ref = oci::parseImageRef(o.ref);
  if (!ref) return fail(std::move(ref.error()));
  auto options = registryOptions(o.registry);
  auto credentials = options.credentials;
  auto registry = oci::makeRegistry(std::move(options));
  auto pulled = registry->pullToCache(*ref, credentials);
  if (!pulled) return fail(std::move(pulled.error()));
  auto bytes = readFile(pulled->path);
  if (!bytes) return fail(std::move(bytes.error()));
  if (auto written = writeFileAtomic(o.output, *bytes); !written) return fail(std::move(written.error()));
  fmt::print(stderr, "pulled {} ({} bytes{}) to {}\n", ref->toString(), bytes->size(),
             pulled->fromCache ? ", module from the local cache" : "", o.output);
  fmt::print("{}\n", pulled->manifestDigest);
  return {};
}

}  // namespace

void addPullCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<PullOptions>();
  auto* cmd = app.add_subcommand("pull", "Pull a module from an OCI registry (digest-verified) into a file");
  cmd->add_option("ref", o->ref, "Image ref: host[:port]/repository[:tag][@sha256:...]")->required();
  cmd->add_option("-o,--output", o->output, "Where to write the module")->required();
  addRegistryFlags(cmd, o->registry);
  cmd->callback([o, &action] {
    action = [o] {
      auto pulled = pull(*o);
      if (pulled) return 0;
      fmt::print(stderr, "error: {}\n", pulled.error().message());
      return 1;
    };
  });
}

}  // namespace pelato::cli
