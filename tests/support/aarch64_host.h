// The aarch64 `pelato-host` (scripts/build-aarch64, cross-built into build/aarch64) for
// integration tests that put an arm64 host on a lattice beside x86-64 ones: the command that runs
// it under qemu-user, or why it cannot run here, which the test reports with GTEST_SKIP().
//
//   auto command = testing::aarch64HostCommand();
//   if (!command) GTEST_SKIP() << command.error().message();
//   auto host = testing::startHostCommand(*command, url, lattice, {"--tier", "interp"});
//
// It runs with `--tier interp`: the AOT tier compiles with the machine's C compiler, which
// makes x86-64 code.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato::testing {

// Where the cross build puts pelato-host (the PELATO_AARCH64_HOST compile definition).
std::filesystem::path aarch64HostBinary();

// {qemu-aarch64, binary}: run it, then `host --nats ...`. An error (the skip reason) when the
// binary is not built, is not an aarch64 executable, or qemu-aarch64 or the arm64 C library
// (Debian libc6:arm64) is not installed.
Result<std::vector<std::string>> aarch64HostCommand();

}  // namespace pelato::testing
