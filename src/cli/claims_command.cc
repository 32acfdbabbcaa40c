// `pelato claims inspect MODULE.wasm [-o json] [--trusted-issuer KEY]...`: the claims a module
// carries, and whether a host would accept them (and if not, why).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>

#include "cli/commands.h"
#include "cli/output_format.h"
#include "common/file.h"
#include "security/module_claims.h"
#include "security/verify.h"

namespace pelato::cli {

namespace {

struct ClaimsOptions {
  OutputOptions output;
  std::string module;
  std::vector<std::string> trustedIssuers;
};

std::string listOrNone(const std::optional<std::vector<std::string>>& items) {
  if (!items || items->empty()) return "none";
  return fmt::format("{}", fmt::join(*items, ", "));
}

void printText(const security::EmbeddedClaims& e, const Result<security::ComponentClaims>& verdict) {
  const auto& c = e.claims;
  fmt::print("{} - component\n", c.name.value_or("(unnamed)"));
  fmt::print("  account      {}\n", c.issuer);
  fmt::print("  component    {}\n", c.subject);
  fmt::print("  issued at    {}\n", security::formatJwtTime(c.issuedAt));
  fmt::print("  expires      {}\n", c.expires ? security::formatJwtTime(*c.expires) : "never");
  fmt::print("  valid from   {}\n", c.notBefore ? security::formatJwtTime(*c.notBefore) : "immediately");
  fmt::print("  version      {}{}\n", c.version.value_or("(none)"),
             c.revision ? fmt::format(" (revision {})", *c.revision) : "");
  fmt::print("  call alias   {}\n", c.callAlias.value_or("(not set)"));
  fmt::print("  module hash  {}\n", c.moduleHash);
  fmt::print("  tags         {}\n", listOrNone(c.tags));
  fmt::print("  pelato caps  {}\n", listOrNone(c.pelatoCaps));
  if (c.caps) fmt::print("  wascap caps  {}\n", listOrNone(c.caps));
  if (verdict)
    fmt::print("valid: signed by the account, module unchanged, within its validity window\n");
  else
    fmt::print("INVALID: {}\n", verdict.error().message());
}

int inspect(const ClaimsOptions& o) {
  auto bytes = readFile(o.module);
  if (!bytes) {
    fmt::print(stderr, "error: {}\n", bytes.error().message());
    return 1;
  }
  auto embedded = security::extractClaims(*bytes);
  auto verdict = security::verifyModule(*bytes, std::chrono::system_clock::now(), o.trustedIssuers);
  if (o.output.json()) {
    lattice::Json out = {{"module", o.module}, {"valid", verdict.has_value()}};
    if (!verdict) out["reason"] = verdict.error().message();
    if (embedded && *embedded) {
      // Round-trip through text: claims use insertion-ordered JSON, the CLI's printer plain JSON.
      out["claims"] = lattice::Json::parse(
          security::claimsToJson((*embedded)->claims).dump(-1, ' ', false, lattice::Json::error_handler_t::replace),
          nullptr, /*allow_exceptions=*/false);
      out["jwt"] = (*embedded)->jwt;
    }
    if (auto hash = security::computeModuleHash(*bytes)) out["module_hash"] = *hash;
    fmt::print("{}", prettyJson(out));
  } else if (!embedded) {
    fmt::print("INVALID: {}\n", verdict.error().message());
  } else if (!*embedded) {
    fmt::print("{} is not signed (no claims); sign it with `pelato sign`\n", o.module);
  } else {
    printText(**embedded, verdict);
  }
  return verdict ? 0 : 1;
}

}  // namespace

void addClaimsCommand(CLI::App& app, Action& action) {
  auto* claims = app.add_subcommand("claims", "Inspect the signed claims embedded in modules");
  claims->require_subcommand(1);
  auto o = std::make_shared<ClaimsOptions>();
  auto* inspectCmd = claims->add_subcommand("inspect", "Show a module's claims and whether they are valid");
  inspectCmd->add_option("module", o->module, "MODULE.wasm")->required()->check(CLI::ExistingFile);
  inspectCmd->add_option("--trusted-issuer", o->trustedIssuers,
                         "Also require this account as issuer (repeatable), as a host would");
  o->output.addTo(*inspectCmd);
  inspectCmd->callback([o, &action] { action = [o] { return inspect(*o); }; });
}

}  // namespace pelato::cli
