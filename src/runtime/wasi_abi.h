// WASI preview 1 (wasi_snapshot_preview1) constants and struct layouts, from the witx spec.
#pragma once

#include <cstdint>

namespace pelato::runtime::wasi {

using Errno = uint16_t;

constexpr Errno
    kSuccess = 0, k2Big = 1, kAcces = 2, kAgain = 6, kBadf = 8, kBusy = 10, kExist = 20,
    kFault = 21, kFbig = 22, kIlseq = 25, kIntr = 27, kInval = 28, kIo = 29, kIsdir = 31,
    kLoop = 32, kMfile = 33, kMlink = 34, kNametoolong = 37, kNfile = 41, kNodev = 43, kNoent = 44,
    kNomem = 48, kNospc = 51, kNosys = 52, kNotdir = 54, kNotempty = 55, kNotsock = 57,
    kNotsup = 58, kNotty = 59, kNxio = 60, kOverflow = 61, kPerm = 63, kPipe = 64, kRange = 68,
    kRofs = 69, kSpipe = 70, kTxtbsy = 74, kXdev = 75, kNotcapable = 76;

enum Filetype : uint8_t {
  kUnknown = 0, kBlockDevice = 1, kCharacterDevice = 2, kDirectory = 3, kRegularFile = 4,
  kSocketDgram = 5, kSocketStream = 6, kSymbolicLink = 7,
};

// fdflags
constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4, kFdflagRsync = 8,
                   kFdflagSync = 16;
// oflags
constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
// lookupflags
constexpr uint32_t kLookupSymlinkFollow = 1;
// fstflags
constexpr uint16_t kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8;
// rights (only those the host looks at by name)
constexpr uint64_t kRightFdRead = 1ull << 1, kRightFdSeek = 1ull << 2, kRightFdTell = 1ull << 5,
                   kRightFdWrite = 1ull << 6, kRightsAll = (1ull << 29) - 1;
// A directory itself cannot be read, written, seeked or resized like a file (what it contains
// can: those rights stay in the inheriting set).
constexpr uint64_t kDirectoryRights =
    kRightsAll & ~(kRightFdRead | kRightFdSeek | kRightFdTell | kRightFdWrite | (1ull << 7) /* advise */ |
                   (1ull << 8) /* allocate */ | (1ull << 22) /* filestat_set_size */);
// clocks
constexpr uint32_t kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCpu = 2, kClockThreadCpu = 3;
// whence
constexpr uint8_t kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2;
// poll
constexpr uint8_t kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2;
constexpr uint16_t kSubclockAbstime = 1;
constexpr uint16_t kEventFdReadwriteHangup = 1;
// preopen tag
constexpr uint8_t kPreopenDir = 0;

// Struct sizes and field offsets in guest memory.
constexpr uint32_t kFdstatSize = 24;     // filetype u8 @0, flags u16 @2, rights u64 @8, inheriting u64 @16
constexpr uint32_t kFilestatSize = 64;   // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
constexpr uint32_t kDirentSize = 24;     // next u64 @0, ino u64 @8, namlen u32 @16, type u8 @20
constexpr uint32_t kSubscriptionSize = 48;
constexpr uint32_t kEventSize = 32;
constexpr uint32_t kIovecSize = 8;

// Maps a host errno value to its WASI equivalent.
Errno fromErrno(int hostErrno);

}  // namespace pelato::runtime::wasi
