#include "runtime/wasi_util.h"

#include <cstring>

namespace pelato::runtime::wasi {

Filetype filetypeOf(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return kRegularFile;
    case S_IFDIR: return kDirectory;
    case S_IFCHR: return kCharacterDevice;
    case S_IFBLK: return kBlockDevice;
    case S_IFLNK: return kSymbolicLink;
    case S_IFSOCK: return kSocketStream;
    default: return kUnknown;  // FIFOs have no WASI type
  }
}

Errno writeFilestat(const GuestMemory& m, uint32_t out, const struct stat& st) {
  auto r = m.range(out, kFilestatSize);
  if (!r) return kFault;
  std::memset(r->data(), 0, kFilestatSize);
  auto ns = [](const timespec& ts) { return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec); };
  m.store<uint64_t>(out, st.st_dev);
  m.store<uint64_t>(out + 8, st.st_ino);
  m.store<uint8_t>(out + 16, filetypeOf(st.st_mode));
  m.store<uint64_t>(out + 24, st.st_nlink);
  m.store<uint64_t>(out + 32, static_cast<uint64_t>(st.st_size));
  m.store<uint64_t>(out + 40, ns(st.st_atim));
  m.store<uint64_t>(out + 48, ns(st.st_mtim));
  m.store<uint64_t>(out + 56, ns(st.st_ctim));
  return kSuccess;
}

Errno timesFromFlags(uint64_t atim, uint64_t mtim, uint32_t flags, timespec times[2]) {
  if (((flags & kFstAtim) && (flags & kFstAtimNow)) || ((flags & kFstMtim) && (flags & kFstMtimNow)))
    return kInval;
  auto set = [](timespec& t, uint64_t value, bool given, bool now) {
    if (now) t = {0, UTIME_NOW};
    else if (given) t = {static_cast<time_t>(value / 1000000000ull), static_cast<long>(value % 1000000000ull)};
    else t = {0, UTIME_OMIT};
  };
  set(times[0], atim, flags & kFstAtim, flags & kFstAtimNow);
  set(times[1], mtim, flags & kFstMtim, flags & kFstMtimNow);
  return kSuccess;
}

}  // namespace pelato::runtime::wasi
