#include "support/aarch64_host.h"

#include <elf.h>

#include <fstream>

namespace pelato::testing {

namespace {

constexpr const char* kQemu = "/usr/bin/qemu-aarch64";
// The arm64 dynamic loader the binary names; qemu-user finds it (and the arm64 libraries in
// /usr/lib/aarch64-linux-gnu) in / on a Debian multiarch system, so no -L prefix is needed.
constexpr const char* kLoader = "/lib/ld-linux-aarch64.so.1";
constexpr const char* kHowTo = "run scripts/build-aarch64 (make test does)";

// The ELF header's machine, or 0 when `path` is not an ELF file.
int elfMachine(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return 0;
  if (std::string_view(reinterpret_cast<const char*>(header.e_ident), SELFMAG) != ELFMAG) return 0;
  return header.e_machine;
}

}  // namespace

std::filesystem::path aarch64HostBinary() { return PELATO_AARCH64_HOST; }

Result<std::vector<std::string>> aarch64HostCommand() {
  auto binary = aarch64HostBinary();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(binary, ec))
    return fail("the aarch64 pelato-host is not built ({} is missing): {}", binary.string(), kHowTo);
  if (int machine = elfMachine(binary); machine != EM_AARCH64)
    return fail("{} is not an aarch64 executable (ELF machine {}): {}", binary.string(), machine, kHowTo);
  if (!std::filesystem::exists(kQemu, ec))
    return fail("{} is not installed (Debian qemu-user): {}", kQemu, kHowTo);
  if (!std::filesystem::exists(kLoader, ec))
    return fail("{} is missing (Debian libc6:arm64): {}", kLoader, kHowTo);
  return std::vector<std::string>{kQemu, binary.string()};
}

}  // namespace pelato::testing
