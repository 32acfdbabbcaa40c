// WASI fd_* functions: reads, writes, seeks, stats and directory listings on open descriptors.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/wasi_context.h"
#include "runtime/wasi_util.h"

namespace pelato::runtime {

using namespace wasi;

Errno WasiContext::scatter(Mem& m, uint32_t iovs, uint32_t iovsLen, std::vector<iovec>& out) {
  if (iovsLen > 1024) return kInval;
  out.clear();
  for (uint32_t i = 0; i < iovsLen; ++i) {
    auto ptr = m.load<uint32_t>(iovs + i * kIovecSize);
    auto len = m.load<uint32_t>(iovs + i * kIovecSize + 4);
    if (!ptr || !len) return kFault;
    auto r = m.range(*ptr, *len);
    if (!r) return kFault;
    out.push_back({r->data(), r->size()});
  }
  return kSuccess;
}

#define PELATO_FD(var, fd)   \
  Fd* var = find(fd);        \
  if (!var) return kBadf

Errno WasiContext::fdAdvise(Mem&, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  PELATO_FD(f, fd);
  if (advice > 5) return kInval;
  if (f->type == kDirectory) return kBadf;
  int rc = ::posix_fadvise(f->host, static_cast<off_t>(offset), static_cast<off_t>(len), static_cast<int>(advice));
  return rc == ESPIPE ? kSpipe : kSuccess;  // advice is a hint
}

Errno WasiContext::fdAllocate(Mem&, uint32_t fd, uint64_t offset, uint64_t len) {
  PELATO_FD(f, fd);
  if (f->type == kDirectory) return kBadf;
  int rc = ::posix_fallocate(f->host, static_cast<off_t>(offset), static_cast<off_t>(len));
  return rc ? fromErrno(rc) : kSuccess;
}

Errno WasiContext::fdClose(Mem&, uint32_t fd) {
  PELATO_FD(f, fd);
  if (f->owned) ::close(f->host);
  fds_.erase(fd);
  return kSuccess;
}

Errno WasiContext::fdDatasync(Mem&, uint32_t fd) {
  PELATO_FD(f, fd);
  return ::fdatasync(f->host) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::fdSync(Mem&, uint32_t fd) {
  PELATO_FD(f, fd);
  return ::fsync(f->host) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::fdFdstatGet(Mem& m, uint32_t fd, uint32_t out) {
  PELATO_FD(f, fd);
  auto r = m.range(out, kFdstatSize);
  if (!r) return kFault;
  int fl = ::fcntl(f->host, F_GETFL);
  uint16_t flags = 0;
  if (fl >= 0) {
    if (fl & O_APPEND) flags |= kFdflagAppend;
    if (fl & O_NONBLOCK) flags |= kFdflagNonblock;
    if ((fl & O_SYNC) == O_SYNC) flags |= kFdflagSync | kFdflagRsync;
    else if (fl & O_DSYNC) flags |= kFdflagDsync;
  }
  std::memset(r->data(), 0, kFdstatSize);
  m.store<uint8_t>(out, f->type);
  m.store<uint16_t>(out + 2, flags);
  m.store<uint64_t>(out + 8, f->rights);
  m.store<uint64_t>(out + 16, f->inheriting);
  return kSuccess;
}

Errno WasiContext::fdFdstatSetFlags(Mem&, uint32_t fd, uint32_t flags) {
  PELATO_FD(f, fd);
  int fl = ::fcntl(f->host, F_GETFL);
  if (fl < 0) return fromErrno(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & kFdflagAppend) fl |= O_APPEND;
  if (flags & kFdflagNonblock) fl |= O_NONBLOCK;
  return ::fcntl(f->host, F_SETFL, fl) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::fdFdstatSetRights(Mem&, uint32_t fd, uint64_t base, uint64_t inheriting) {
  PELATO_FD(f, fd);
  // Rights can only shrink.
  if ((base & ~f->rights) || (inheriting & ~f->inheriting)) return kNotcapable;
  f->rights = base;
  f->inheriting = inheriting;
  return kSuccess;
}

Errno WasiContext::fdFilestatGet(Mem& m, uint32_t fd, uint32_t out) {
  PELATO_FD(f, fd);
  struct stat st;
  if (::fstat(f->host, &st) != 0) return fromErrno(errno);
  return writeFilestat(m, out, st);
}

Errno WasiContext::fdFilestatSetSize(Mem&, uint32_t fd, uint64_t size) {
  PELATO_FD(f, fd);
  if (size > INT64_MAX) return kInval;
  return ::ftruncate(f->host, static_cast<off_t>(size)) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::fdFilestatSetTimes(Mem&, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags) {
  PELATO_FD(f, fd);
  timespec times[2];
  if (Errno e = timesFromFlags(atim, mtim, flags, times)) return e;
  return ::futimens(f->host, times) == 0 ? kSuccess : fromErrno(errno);
}

Errno WasiContext::fdPread(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset, uint32_t nread) {
  PELATO_FD(f, fd);
  if (f->type == kDirectory) return kIsdir;
  std::vector<iovec> v;
  if (Errno e = scatter(m, iovs, iovsLen, v)) return e;
  ssize_t n = ::preadv(f->host, v.data(), static_cast<int>(v.size()), static_cast<off_t>(offset));
  if (n < 0) return fromErrno(errno);
  return m.store<uint32_t>(nread, static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

Errno WasiContext::fdPwrite(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset,
                            uint32_t nwritten) {
  PELATO_FD(f, fd);
  if (f->type == kDirectory) return kBadf;
  std::vector<iovec> v;
  if (Errno e = scatter(m, iovs, iovsLen, v)) return e;
  // Linux pwrite on an O_APPEND descriptor ignores the offset and appends; WASI writes at
  // the offset whatever the flags, so drop O_APPEND for the duration of the call.
  int fl = ::fcntl(f->host, F_GETFL);
  bool append = fl >= 0 && (fl & O_APPEND);
  if (append && ::fcntl(f->host, F_SETFL, fl & ~O_APPEND) != 0) return fromErrno(errno);
  ssize_t n = ::pwritev(f->host, v.data(), static_cast<int>(v.size()), static_cast<off_t>(offset));
  int err = errno;
  if (append) ::fcntl(f->host, F_SETFL, fl);
  if (n < 0) return fromErrno(err);
  return m.store<uint32_t>(nwritten, static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

Errno WasiContext::fdRead(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nread) {
  PELATO_FD(f, fd);
  std::vector<iovec> v;
  if (Errno e = scatter(m, iovs, iovsLen, v)) return e;
  ssize_t n;
  do n = ::readv(f->host, v.data(), static_cast<int>(v.size()));
  while (n < 0 && errno == EINTR);
  if (n < 0) return fromErrno(errno);
  return m.store<uint32_t>(nread, static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

Errno WasiContext::fdWrite(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nwritten) {
  PELATO_FD(f, fd);
  std::vector<iovec> v;
  if (Errno e = scatter(m, iovs, iovsLen, v)) return e;
  ssize_t n;
  do n = ::writev(f->host, v.data(), static_cast<int>(v.size()));
  while (n < 0 && errno == EINTR);
  if (n < 0) return fromErrno(errno);
  return m.store<uint32_t>(nwritten, static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

Errno WasiContext::fdPrestatGet(Mem& m, uint32_t fd, uint32_t out) {
  PELATO_FD(f, fd);
  if (!f->preopen) return kBadf;
  if (!m.store<uint32_t>(out, kPreopenDir)) return kFault;
  return m.store<uint32_t>(out + 4, static_cast<uint32_t>(f->preopen->size())) ? kSuccess : kFault;
}

Errno WasiContext::fdPrestatDirName(Mem& m, uint32_t fd, uint32_t path, uint32_t len) {
  PELATO_FD(f, fd);
  if (!f->preopen) return kBadf;
  if (len < f->preopen->size()) return kNametoolong;
  return m.write(path, {reinterpret_cast<const uint8_t*>(f->preopen->data()), f->preopen->size()}) ? kSuccess
                                                                                                    : kFault;
}

Errno WasiContext::fdReaddir(Mem& m, uint32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t used) {
  PELATO_FD(f, fd);
  if (f->type != kDirectory) return kNotdir;
  if (!m.range(buf, len)) return kFault;
  if (cookie == 0 || f->listing.empty()) {
    // A fresh descriptor, so that the guest's own position never moves.
    int dup = ::openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dup < 0) return fromErrno(errno);
    DIR* dir = ::fdopendir(dup);
    if (!dir) {
      ::close(dup);
      return fromErrno(errno);
    }
    f->listing.clear();
    while (dirent* d = ::readdir(dir)) {
      uint8_t type = kUnknown;
      switch (d->d_type) {
        case DT_REG: type = kRegularFile; break;
        case DT_DIR: type = kDirectory; break;
        case DT_LNK: type = kSymbolicLink; break;
        case DT_CHR: type = kCharacterDevice; break;
        case DT_BLK: type = kBlockDevice; break;
        case DT_SOCK: type = kSocketStream; break;
      }
      f->listing.push_back({d->d_name, d->d_ino, type});
    }
    ::closedir(dir);
  }
  // Entries are written back to back; the last one may be cut short, which tells the guest
  // to call again with a bigger buffer (bufused == buf_len).
  uint32_t pos = 0;
  for (uint64_t i = cookie; i < f->listing.size() && pos < len; ++i) {
    const auto& e = f->listing[i];
    uint8_t header[kDirentSize] = {};
    uint64_t next = i + 1;
    uint32_t namlen = static_cast<uint32_t>(e.name.size());
    std::memcpy(header, &next, 8);
    std::memcpy(header + 8, &e.ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = e.type;
    uint32_t n = std::min<uint32_t>(kDirentSize, len - pos);
    m.write(buf + pos, {header, n});
    pos += n;
    n = std::min<uint32_t>(namlen, len - pos);
    m.write(buf + pos, {reinterpret_cast<const uint8_t*>(e.name.data()), n});
    pos += n;
  }
  return m.store<uint32_t>(used, pos) ? kSuccess : kFault;
}

Errno WasiContext::fdRenumber(Mem&, uint32_t fd, uint32_t to) {
  PELATO_FD(from, fd);
  PELATO_FD(target, to);
  if (fd == to) return kSuccess;
  if (target->owned) ::close(target->host);
  *target = std::move(*from);
  fds_.erase(fd);
  return kSuccess;
}

Errno WasiContext::fdSeek(Mem& m, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t out) {
  PELATO_FD(f, fd);
  if (f->type == kDirectory) return kBadf;
  int w;
  switch (whence) {
    case kWhenceSet: w = SEEK_SET; break;
    case kWhenceCur: w = SEEK_CUR; break;
    case kWhenceEnd: w = SEEK_END; break;
    default: return kInval;
  }
  off_t pos = ::lseek(f->host, static_cast<off_t>(offset), w);
  if (pos < 0) return fromErrno(errno);
  return m.store<uint64_t>(out, static_cast<uint64_t>(pos)) ? kSuccess : kFault;
}

Errno WasiContext::fdTell(Mem& m, uint32_t fd, uint32_t out) {
  PELATO_FD(f, fd);
  if (f->type == kDirectory) return kBadf;  // as fd_seek: a directory has no WASI offset
  off_t pos = ::lseek(f->host, 0, SEEK_CUR);
  if (pos < 0) return fromErrno(errno);
  return m.store<uint64_t>(out, static_cast<uint64_t>(pos)) ? kSuccess : kFault;
}

}  // namespace pelato::runtime
