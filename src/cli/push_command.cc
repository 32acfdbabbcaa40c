// `pelato push REF MODULE.wasm`: the module as an OCI artifact (wasm layer + wasm config); prints
// the manifest digest on stdout, so scripts can pin REF@digest.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/registry_options.h"
#include "common/file.h"
#include "oci/registry_client.h"

namespace pelato::cli {

namespace {

struct PushOptions {
  std::string ref;
  std::string module;
  RegistryFlags registry;
  uint64_t chunkSize = 0;
  std::vector<std::string> annotations;
};

Result<void> push(const PushOptions& o) {
  auto ref = oci::parseImageRef(o.ref);
  if (!ref) return fail(std::move(ref.error()));
  auto bytes = readFile(o.module);
  if (!bytes) return fail(std::move(bytes.error()));
  oci::WasmPushRequest request{.module = *bytes, .title = std::filesystem::path(o.module).filename().string()};
  for (const auto& a : o.annotations) {
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) return fail("annotation '{}' must be KEY=VALUE", a);
    request.annotations[a.substr(0, eq)] = a.substr(eq + 1);
  }
  auto options = registryOptions(o.registry);
  if (o.chunkSize > 0) options.chunkThreshold = options.chunkSize = o.chunkSize;
  auto client = oci::RegistryClient::create(std::move(options));
  if (!client) return fail(std::move(client.error()));
  auto pushed = client->pushWasm(*ref, request);
  if (!pushed) return fail(std::move(pushed.error()));
  fmt::print(stderr, "pushed {} ({} bytes; {} blob{} uploaded, {} already there)\n", ref->toString(), bytes->size(),
             pushed->blobsUploaded, pushed->blobsUploaded == 1 ? "" : "s", pushed->blobsSkipped);
  fmt::print("{}\n", pushed->manifestDigest);
  return {};
}

}  // namespace

void addPushCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<PushOptions>();
  auto* cmd = app.add_subcommand("push", "Push a module to an OCI registry and print its manifest digest");
  cmd->add_option("ref", o->ref, "Image ref: host[:port]/repository[:tag]")->required();
  cmd->add_option("module", o->module, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  addRegistryFlags(cmd, o->registry);
  cmd->add_option("--annotation", o->annotations, "KEY=VALUE on the manifest (repeatable)");
  cmd->add_option("--chunk-size", o->chunkSize, "Upload blobs larger than BYTES in PATCH chunks of BYTES (default 8 MiB)");
  cmd->callback([o, &action] {
    action = [o] {
      auto pushed = push(*o);
      if (pushed) return 0;
      fmt::print(stderr, "error: {}\n", pushed.error().message());
      return 1;
    };
  });
}

}  // namespace pelato::cli
