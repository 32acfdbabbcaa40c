// Helpers shared by the WASI fd and path functions.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include "runtime/guest_memory.h"
#include "runtime/wasi_abi.h"

namespace pelato::runtime::wasi {

Filetype filetypeOf(unsigned mode);
// Writes a filestat record at `out`.
Errno writeFilestat(const GuestMemory& m, uint32_t out, const struct stat& st);
// Turns fstflags + times into utimensat/futimens arguments.
Errno timesFromFlags(uint64_t atim, uint64_t mtim, uint32_t flags, timespec times[2]);

}  // namespace pelato::runtime::wasi
