// WASI path_* functions. Every path is resolved by the kernel beneath a directory descriptor
// (openat2 with RESOLVE_BENEATH): absolute paths, ".." past the preopen and symlinks leading
// out all fail with ENOTCAPABLE, with no user-space path parsing to get wrong.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/wasi_context.h"
#include "runtime/wasi_util.h"

namespace pelato::runtime {

using namespace wasi;

namespace {

constexpr uint64_t kBeneath = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

Errno readPath(const GuestMemory& m, uint32_t ptr, uint32_t len, std::string& out) {
  auto s = m.string(ptr, len);
  if (!s) return kFault;
  if (s->find('\0') != std::string_view::npos) return kInval;
  if (s->empty()) return kNoent;
  out = *s;
  return kSuccess;
}

}  // namespace

WasiContext::Parent::~Parent() {
  if (fd >= 0) ::close(fd);
}

Errno WasiContext::openBeneath(int dirFd, const std::string& path, uint64_t flags, uint64_t resolve, int& out) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.mode = (flags & O_CREAT) ? 0666 : 0;
  how.resolve = kBeneath | resolve;
  long fd;
  do fd = ::syscall(SYS_openat2, dirFd, path.c_str(), &how, sizeof how);
  while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  if (fd < 0) return fromErrno(errno);
  out = static_cast<int>(fd);
  return kSuccess;
}

Errno WasiContext::openParent(Mem& m, uint32_t dir, uint32_t ptr, uint32_t len, Parent& out) {
  Fd* f = find(dir);
  if (!f) return kBadf;
  if (f->type != kDirectory) return kNotdir;
  std::string path;
  if (Errno e = readPath(m, ptr, len, path)) return e;

  // Split off the last component, keeping any trailing slashes on it ("a/b/" -> "a", "b/").
  size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return kNotcapable;  // "/" or "///"
  size_t slash = path.rfind('/', end);
  std::string parent = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  out.name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string base = out.name.substr(0, out.name.find('/'));
  if (base == "." || base == "..") {
    // Resolve the whole path (".." must stay beneath too) and act on "." inside it.
    parent = path;
    out.name = ".";
  }
  return openBeneath(f->host, parent, O_PATH | O_DIRECTORY, 0, out.fd);
}

Errno WasiContext::pathOpen(Mem& m, uint32_t dir, uint32_t dirflags, uint32_t ptr, uint32_t len, uint32_t oflags,
                            uint64_t rights, uint64_t inheriting, uint32_t fdflags, uint32_t out) {
  Fd* f = find(dir);
  if (!f) return kBadf;
  if (f->type != kDirectory) return kNotdir;
  std::string path;
  if (Errno e = readPath(m, ptr, len, path)) return e;

  uint64_t flags = O_NOCTTY;
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if (oflags & kOflagDirectory) flags |= O_DIRECTORY;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (!(dirflags & kLookupSymlinkFollow)) flags |= O_NOFOLLOW;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & (kFdflagSync | kFdflagRsync)) flags |= O_SYNC;
  else if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  // Rights that need a writable descriptor: write, datasync, allocate, set size (bits 6, 0, 8, 22)
  // plus the truncating/appending flags.
  constexpr uint64_t kWriteRights = kRightFdWrite | 1ull | (1ull << 8) | (1ull << 22);
  bool write = (rights & kWriteRights) || (oflags & kOflagTrunc) || (fdflags & kFdflagAppend);
  bool read = rights & (kRightFdRead | (1ull << 14) /* readdir */);
  // Asking to write a directory fails with EISDIR, as on POSIX.
  if (write) flags |= read ? O_RDWR : O_WRONLY;
  else flags |= O_RDONLY;

  int host = -1;
  if (Errno e = openBeneath(f->host, path, flags, 0, host)) return e;
  struct stat st;
  ::fstat(host, &st);
  Filetype type = filetypeOf(st.st_mode);
  uint64_t base = rights & f->inheriting & (type == kDirectory ? kDirectoryRights : kRightsAll);
  uint32_t fd = insert(Fd{.host = host, .type = type, .rights = base, .inheriting = inheriting & f->inheriting});
  if (!m.store<uint32_t>(out, fd)) {
    Mem none;
    fdClose(none, fd);
    return kFault;
  }
  return kSuccess;
}

Errno WasiContext::pathCreateDirectory(Mem& m, uint32_t dir, uint32_t ptr, uint32_t len) {
  Parent p;
  if (Errno e = openParent(m, dir, ptr, len, p)) return e;
  return ::mkdirat(p.fd, p.name.c_str(), 0777) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::pathFilestatGet(Mem& m, uint32_t dir, uint32_t flags, uint32_t ptr, uint32_t len, uint32_t out) {
  Fd* f = find(dir);
  if (!f) return kBadf;
  std::string path;
  if (Errno e = readPath(m, ptr, len, path)) return e;
  int fd = -1;
  uint64_t open = O_PATH | ((flags & kLookupSymlinkFollow) ? 0 : O_NOFOLLOW);
  if (Errno e = openBeneath(f->host, path, open, 0, fd)) return e;
  struct stat st;
  int rc = ::fstat(fd, &st);
  int err = errno;
  ::close(fd);
  if (rc != 0) return fromErrno(err);
  return writeFilestat(m, out, st);
}

Errno WasiContext::pathFilestatSetTimes(Mem& m, uint32_t dir, uint32_t flags, uint32_t ptr, uint32_t len,
                                        uint64_t atim, uint64_t mtim, uint32_t fstflags) {
  timespec times[2];
  if (Errno e = timesFromFlags(atim, mtim, fstflags, times)) return e;
  Parent p;
  if (Errno e = openParent(m, dir, ptr, len, p)) return e;
  bool follow = flags & kLookupSymlinkFollow;
  if (follow) {
    // Only follow a symlink whose target is beneath the directory too.
    int target = -1;
    if (Errno e = openBeneath(p.fd, p.name, O_PATH, 0, target)) return e;
    ::close(target);
  }
  return ::utimensat(p.fd, p.name.c_str(), times, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 ? kSuccess
                                                                                          : fromErrno(errno);
}

Errno WasiContext::pathLink(Mem& m, uint32_t oldDir, uint32_t oldFlags, uint32_t oldPtr, uint32_t oldLen,
                            uint32_t newDir, uint32_t newPtr, uint32_t newLen) {
  Parent from, to;
  if (Errno e = openParent(m, oldDir, oldPtr, oldLen, from)) return e;
  if (Errno e = openParent(m, newDir, newPtr, newLen, to)) return e;
  bool follow = oldFlags & kLookupSymlinkFollow;
  if (follow) {
    int target = -1;
    if (Errno e = openBeneath(from.fd, from.name, O_PATH, 0, target)) return e;
    ::close(target);
  }
  return ::linkat(from.fd, from.name.c_str(), to.fd, to.name.c_str(), follow ? AT_SYMLINK_FOLLOW : 0) == 0
             ? kSuccess
             : fromErrno(errno);
}

Errno WasiContext::pathReadlink(Mem& m, uint32_t dir, uint32_t ptr, uint32_t len, uint32_t buf, uint32_t bufLen,
                                uint32_t used) {
  Parent p;
  if (Errno e = openParent(m, dir, ptr, len, p)) return e;
  auto out = m.range(buf, bufLen);
  if (!out) return kFault;
  char target[4096];
  ssize_t n = ::readlinkat(p.fd, p.name.c_str(), target, sizeof target);
  if (n < 0) return fromErrno(errno);
  size_t copied = std::min<size_t>(static_cast<size_t>(n), bufLen);
  std::memcpy(out->data(), target, copied);
  return m.store<uint32_t>(used, static_cast<uint32_t>(copied)) ? kSuccess : kFault;
}

Errno WasiContext::pathRemoveDirectory(Mem& m, uint32_t dir, uint32_t ptr, uint32_t len) {
  Parent p;
  if (Errno e = openParent(m, dir, ptr, len, p)) return e;
  return ::unlinkat(p.fd, p.name.c_str(), AT_REMOVEDIR) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::pathRename(Mem& m, uint32_t dir, uint32_t oldPtr, uint32_t oldLen, uint32_t newDir,
                              uint32_t newPtr, uint32_t newLen) {
  Parent from, to;
  if (Errno e = openParent(m, dir, oldPtr, oldLen, from)) return e;
  if (Errno e = openParent(m, newDir, newPtr, newLen, to)) return e;
  return ::renameat(from.fd, from.name.c_str(), to.fd, to.name.c_str()) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::pathSymlink(Mem& m, uint32_t oldPtr, uint32_t oldLen, uint32_t dir, uint32_t newPtr,
                               uint32_t newLen) {
  std::string target;
  if (Errno e = readPath(m, oldPtr, oldLen, target)) return e;
  // An absolute target could never be followed beneath a preopen.
  if (target.starts_with('/')) return kNotcapable;
  Parent p;
  if (Errno e = openParent(m, dir, newPtr, newLen, p)) return e;
  return ::symlinkat(target.c_str(), p.fd, p.name.c_str()) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::pathUnlinkFile(Mem& m, uint32_t dir, uint32_t ptr, uint32_t len) {
  Parent p;
  if (Errno e = openParent(m, dir, ptr, len, p)) return e;
  return ::unlinkat(p.fd, p.name.c_str(), 0) == 0 ? kSuccess : fromErrno(errno);
}

}  // namespace pelato::runtime
