// WASI preview 1 for one instance: its arguments, environment and file descriptors.
// Capability-based: the guest reaches the host file system only below its preopened
// directories; every path is resolved by the kernel with openat2(RESOLVE_BENEATH), so
// neither ".." nor a symlink can lead outside.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/guest_memory.h"
#include "runtime/host_function.h"
#include "runtime/wasi_abi.h"

namespace pelato::runtime {

struct Preopen {
  std::string hostPath;
  std::string guestPath;  // what the guest sees, e.g. "/" or "/data"
};

struct WasiConfig {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;
  int stdinFd = 0;  // host descriptors for the guest's 0, 1, 2; borrowed, never closed
  int stdoutFd = 1;
  int stderrFd = 2;
};

class WasiContext {
 public:
  // Opens the preopened directories; a missing one is an error naming it.
  static Result<std::unique_ptr<WasiContext>> create(WasiConfig config);
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // All of wasi_snapshot_preview1, bound to this context (which must outlive the instance).
  std::vector<HostFunction> functions();

  // The deadline of the wasm call now making WASI calls: poll_oneoff waits no longer.
  void setCallDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) { callDeadline_ = deadline; }

  using Errno = wasi::Errno;
  using Mem = const GuestMemory;

  // Process, environment, time, randomness.
  Errno argsGet(Mem& m, uint32_t argv, uint32_t buf);
  Errno argsSizesGet(Mem& m, uint32_t argc, uint32_t bufSize);
  Errno environGet(Mem& m, uint32_t environ, uint32_t buf);
  Errno environSizesGet(Mem& m, uint32_t count, uint32_t bufSize);
  Errno clockResGet(Mem& m, uint32_t id, uint32_t out);
  Errno clockTimeGet(Mem& m, uint32_t id, uint64_t precision, uint32_t out);
  Errno randomGet(Mem& m, uint32_t buf, uint32_t len);
  Errno schedYield(Mem& m);
  Errno procRaise(Mem& m, uint32_t signal);
  Errno pollOneoff(Mem& m, uint32_t in, uint32_t out, uint32_t count, uint32_t nevents);

  // File descriptors.
  Errno fdAdvise(Mem& m, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
  Errno fdAllocate(Mem& m, uint32_t fd, uint64_t offset, uint64_t len);
  Errno fdClose(Mem& m, uint32_t fd);
  Errno fdDatasync(Mem& m, uint32_t fd);
  Errno fdSync(Mem& m, uint32_t fd);
  Errno fdFdstatGet(Mem& m, uint32_t fd, uint32_t out);
  Errno fdFdstatSetFlags(Mem& m, uint32_t fd, uint32_t flags);
  Errno fdFdstatSetRights(Mem& m, uint32_t fd, uint64_t base, uint64_t inheriting);
  Errno fdFilestatGet(Mem& m, uint32_t fd, uint32_t out);
  Errno fdFilestatSetSize(Mem& m, uint32_t fd, uint64_t size);
  Errno fdFilestatSetTimes(Mem& m, uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags);
  Errno fdPread(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset, uint32_t nread);
  Errno fdPwrite(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint64_t offset, uint32_t nwritten);
  Errno fdRead(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nread);
  Errno fdWrite(Mem& m, uint32_t fd, uint32_t iovs, uint32_t iovsLen, uint32_t nwritten);
  Errno fdPrestatGet(Mem& m, uint32_t fd, uint32_t out);
  Errno fdPrestatDirName(Mem& m, uint32_t fd, uint32_t path, uint32_t len);
  Errno fdReaddir(Mem& m, uint32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t used);
  Errno fdRenumber(Mem& m, uint32_t fd, uint32_t to);
  Errno fdSeek(Mem& m, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t out);
  Errno fdTell(Mem& m, uint32_t fd, uint32_t out);

  // Paths, always relative to a directory descriptor.
  Errno pathCreateDirectory(Mem& m, uint32_t fd, uint32_t path, uint32_t len);
  Errno pathFilestatGet(Mem& m, uint32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint32_t out);
  Errno pathFilestatSetTimes(Mem& m, uint32_t fd, uint32_t flags, uint32_t path, uint32_t len,
                             uint64_t atim, uint64_t mtim, uint32_t fstflags);
  Errno pathLink(Mem& m, uint32_t oldFd, uint32_t oldFlags, uint32_t oldPath, uint32_t oldLen,
                 uint32_t newFd, uint32_t newPath, uint32_t newLen);
  Errno pathOpen(Mem& m, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t len, uint32_t oflags,
                 uint64_t rights, uint64_t inheriting, uint32_t fdflags, uint32_t out);
  Errno pathReadlink(Mem& m, uint32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t bufLen,
                     uint32_t used);
  Errno pathRemoveDirectory(Mem& m, uint32_t fd, uint32_t path, uint32_t len);
  Errno pathRename(Mem& m, uint32_t fd, uint32_t oldPath, uint32_t oldLen, uint32_t newFd,
                   uint32_t newPath, uint32_t newLen);
  Errno pathSymlink(Mem& m, uint32_t oldPath, uint32_t oldLen, uint32_t fd, uint32_t newPath,
                    uint32_t newLen);
  Errno pathUnlinkFile(Mem& m, uint32_t fd, uint32_t path, uint32_t len);

  // Sockets: pelato hands no sockets to guests, so these only report that.
  Errno sockAccept(Mem& m, uint32_t fd, uint32_t flags, uint32_t out);
  Errno sockRecv(Mem& m, uint32_t fd, uint32_t data, uint32_t dataLen, uint32_t flags, uint32_t outLen,
                 uint32_t outFlags);
  Errno sockSend(Mem& m, uint32_t fd, uint32_t data, uint32_t dataLen, uint32_t flags, uint32_t outLen);
  Errno sockShutdown(Mem& m, uint32_t fd, uint32_t how);

 private:
  struct DirEntry {
    std::string name;
    uint64_t ino;
    uint8_t type;
  };
  struct Fd {
    int host = -1;
    bool owned = true;
    wasi::Filetype type = wasi::kUnknown;
    uint64_t rights = wasi::kRightsAll;
    uint64_t inheriting = wasi::kRightsAll;
    std::optional<std::string> preopen;  // guest path, for preopened directories
    std::vector<DirEntry> listing;       // fd_readdir snapshot, taken at cookie 0
  };

  explicit WasiContext(WasiConfig config) : config_(std::move(config)) {}
  Fd* find(uint32_t fd);
  uint32_t insert(Fd fd);
  // Resolves `path` under directory fd `dir`: opens its parent beneath the directory and
  // returns that descriptor with the last component.
  struct Parent {
    int fd = -1;
    std::string name;
    ~Parent();
  };
  Errno openParent(Mem& m, uint32_t dir, uint32_t path, uint32_t len, Parent& out);
  Errno openBeneath(int dirFd, const std::string& path, uint64_t flags, uint64_t resolve, int& out);
  Errno scatter(Mem& m, uint32_t iovs, uint32_t iovsLen, std::vector<struct iovec>& out);

  WasiConfig config_;
  std::map<uint32_t, Fd> fds_;
  std::optional<std::chrono::steady_clock::time_point> callDeadline_;
};

}  // namespace pelato::runtime
