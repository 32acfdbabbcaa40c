// `pelato sign MODULE.wasm --issuer SEEDFILE --name N --version V -o OUT.wasm`: embeds wascap
// component claims (JWT in the module's wasmcloud_jwt custom section), signed by an account key.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "cli/commands.h"
#include "common/file.h"
#include "security/module_claims.h"
#include "security/seed_file.h"

namespace pelato::cli {

namespace {

struct SignOptions {
  std::string module;
  std::string issuerSeed;
  std::string subjectSeed;
  std::string name;
  std::string version;
  std::optional<int32_t> revision;
  std::vector<std::string> tags;
  std::vector<std::string> caps;
  std::optional<uint64_t> expiresDays;
  std::optional<uint64_t> notBeforeDays;
  std::string callAlias;
  std::string output;
};

constexpr uint64_t kSecondsPerDay = 86400;

Result<void> sign(const SignOptions& o) {
  auto bytes = readFile(o.module);
  if (!bytes) return fail(std::move(bytes.error()));
  auto issuer = security::readSeedFile(o.issuerSeed, security::KeyType::Account);
  if (!issuer) return fail(std::move(issuer.error()).context("--issuer"));
  std::optional<security::KeyPair> generated;
  std::string subject;
  if (o.subjectSeed.empty()) {
    // Like wash: a fresh identity when none is given. Keep a seed file to re-sign under the same one.
    generated = security::KeyPair::generate(security::KeyType::Component);
    subject = generated->publicKey().encode();
  } else {
    auto pair = security::readSeedFile(o.subjectSeed, security::KeyType::Component);
    if (!pair) return fail(std::move(pair.error()).context("--subject"));
    subject = pair->publicKey().encode();
  }

  uint64_t now = security::toJwtTime(std::chrono::system_clock::now());
  constexpr uint64_t kMaxDays = 3'650'000;  // ten thousand years: enough, and no overflow
  if (o.expiresDays.value_or(0) > kMaxDays || o.notBeforeDays.value_or(0) > kMaxDays)
    return fail("--expires and --not-before take at most {} days", kMaxDays);
  security::ComponentClaims claims{.issuedAt = now, .subject = subject, .name = o.name, .version = o.version,
                                   .pelatoCaps = o.caps};
  if (o.revision) claims.revision = *o.revision;
  if (!o.tags.empty()) claims.tags = o.tags;
  if (!o.callAlias.empty()) claims.callAlias = o.callAlias;
  if (o.expiresDays) claims.expires = now + *o.expiresDays * kSecondsPerDay;
  if (o.notBeforeDays) claims.notBefore = now + *o.notBeforeDays * kSecondsPerDay;

  auto signedModule = security::signModule(*bytes, std::move(claims), *issuer);
  if (!signedModule) return fail(std::move(signedModule.error()).context(fmt::format("signing {}", o.module)));
  if (auto written = writeFileAtomic(o.output, *signedModule); !written) return fail(std::move(written.error()));
  // writeFileAtomic creates owner-only files; a module is not a secret.
  std::error_code ignored;
  std::filesystem::permissions(o.output, std::filesystem::perms(0644), ignored);

  auto embedded = security::extractClaims(*signedModule);
  if (!embedded || !*embedded) return fail("the signed module cannot be read back; this is a bug in pelato sign");
  const auto& c = (*embedded)->claims;
  fmt::print("signed {} -> {}\n  component  {}{}\n  account    {}\n  hash       {}\n  expires    {}\n", o.module,
             o.output, c.subject, generated ? " (new key, seed not saved; use --subject to keep one)" : "", c.issuer,
             c.moduleHash, c.expires ? security::formatJwtTime(*c.expires) : "never");
  return {};
}

}  // namespace

void addSignCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<SignOptions>();
  auto* cmd = app.add_subcommand("sign", "Sign a module: embed component claims (wascap JWT) issued by an account key");
  cmd->add_option("module", o->module, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  cmd->add_option("--issuer", o->issuerSeed, "Account seed file (SA…) that signs")->required()->check(CLI::ExistingFile);
  cmd->add_option("--subject", o->subjectSeed, "Component seed file (SM…); a new component key when absent")
      ->check(CLI::ExistingFile);
  cmd->add_option("--name", o->name, "Component name")->required();
  cmd->add_option("--version", o->version, "Human-readable version, e.g. 1.0.0")->required();
  cmd->add_option("--revision", o->revision, "Monotonic revision number");
  cmd->add_option("--tag", o->tags, "A tag (repeatable)");
  cmd->add_option("--caps", o->caps, "pelato host-function capabilities the component may import, e.g. kv")
      ->delimiter(',');
  cmd->add_option("--call-alias", o->callAlias, "A friendly alias callers may use");
  cmd->add_option("--expires", o->expiresDays, "Days until the claims expire (default: never)");
  cmd->add_option("--not-before", o->notBeforeDays, "Days until the claims become valid (default: now)");
  cmd->add_option("-o,--output", o->output, "OUT.wasm")->required();
  cmd->callback([o, &action] {
    action = [o] {
      if (auto done = sign(*o); !done) {
        fmt::print(stderr, "error: {}\n", done.error().message());
        return 1;
      }
      return 0;
    };
  });
}

}  // namespace pelato::cli
