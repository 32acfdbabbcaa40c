// `pelato keys gen account|component [-o FILE]`: a new Ed25519 key in nkeys form;
// `pelato keys public SEEDFILE`: the public key of a seed file (e.g. for --trusted-issuer).
#include <fmt/format.h>

#include "cli/commands.h"
#include "security/seed_file.h"

namespace pelato::cli {

namespace {

struct KeysOptions {
  std::string type;
  std::string output;
  std::string seedFile;
};

int generateKey(const KeysOptions& o) {
  auto type = security::keyTypeFromName(o.type);
  if (!type) {
    fmt::print(stderr, "error: unknown key type \"{}\"; use account or component\n", o.type);
    return 1;
  }
  auto pair = security::KeyPair::generate(*type);
  if (o.output.empty()) {
    // No file: the seed goes to stdout, for people who keep keys in a secret store.
    fmt::print("public key: {}\nseed:       {}\n", pair.publicKey().encode(), pair.encodeSeed());
    return 0;
  }
  if (auto written = security::writeSeedFile(o.output, pair); !written) {
    fmt::print(stderr, "error: {}\n", written.error().message());
    return 1;
  }
  fmt::print("public key: {}\nseed written to {} (mode 0600; keep it secret)\n", pair.publicKey().encode(), o.output);
  return 0;
}

int showPublicKey(const KeysOptions& o) {
  auto pair = security::readSeedFile(o.seedFile);
  if (!pair) {
    fmt::print(stderr, "error: {}\n", pair.error().message());
    return 1;
  }
  fmt::print("{}\n", pair->publicKey().encode());
  return 0;
}

}  // namespace

void addKeysCommand(CLI::App& app, Action& action) {
  auto* keys = app.add_subcommand("keys", "Create and show signing keys (NATS nkeys, Ed25519)");
  keys->require_subcommand(1);

  auto gen = std::make_shared<KeysOptions>();
  auto* genCmd = keys->add_subcommand("gen", "Generate a key: account (signs modules) or component (a module's identity)");
  genCmd->add_option("type", gen->type, "account|component")->required()->check(CLI::IsMember({"account", "component"}));
  genCmd->add_option("-o,--output", gen->output, "Write the seed to FILE (mode 0600, never replaced) instead of stdout");
  genCmd->callback([gen, &action] { action = [gen] { return generateKey(*gen); }; });

  auto pub = std::make_shared<KeysOptions>();
  auto* pubCmd = keys->add_subcommand("public", "Print the public key of a seed file");
  pubCmd->add_option("seed", pub->seedFile, "SEEDFILE")->required()->check(CLI::ExistingFile);
  pubCmd->callback([pub, &action] { action = [pub] { return showPublicKey(*pub); }; });
}

}  // namespace pelato::cli
