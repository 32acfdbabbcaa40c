#include "security/account_key.h"

#include "security/seed_file.h"

namespace pelato::security {

std::filesystem::path defaultIssuerKeyPath(std::string_view xdgConfigHome, std::string_view home) {
  std::filesystem::path config =
      xdgConfigHome.empty() ? std::filesystem::path(home.empty() ? "." : home) / ".config" : xdgConfigHome;
  return config / "pelato" / "issuer.nk";
}

Result<AccountKey> loadOrCreateAccountKey(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto pair = readSeedFile(path, KeyType::Account);
    if (!pair) return fail(std::move(pair.error()));
    return AccountKey{.pair = std::move(*pair)};
  }
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  auto pair = KeyPair::generate(KeyType::Account);
  if (auto ok = writeSeedFile(path, pair); !ok) return fail(std::move(ok.error()));
  return AccountKey{.pair = std::move(pair), .created = true};
}

}  // namespace pelato::security
