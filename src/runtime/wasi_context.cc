#include "runtime/wasi_context.h"
#include "runtime/wasi_util.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <thread>

namespace pelato::runtime {

using namespace wasi;

Result<std::unique_ptr<WasiContext>> WasiContext::create(WasiConfig config) {
  std::unique_ptr<WasiContext> ctx(new WasiContext(std::move(config)));
  int stdio[3] = {ctx->config_.stdinFd, ctx->config_.stdoutFd, ctx->config_.stderrFd};
  for (uint32_t i = 0; i < 3; ++i) {
    Fd fd{.host = stdio[i], .owned = false};
    struct stat st;
    if (::fstat(stdio[i], &st) == 0) fd.type = filetypeOf(st.st_mode);
    // wasi-libc's isatty() looks for a character device without seek/tell rights.
    if (fd.type == kCharacterDevice) fd.rights &= ~(kRightFdSeek | kRightFdTell);
    ctx->fds_[i] = fd;
  }
  for (const auto& p : ctx->config_.preopens) {
    int host = ::open(p.hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0)
      return fail("cannot preopen directory {} for the guest: {}", p.hostPath, std::strerror(errno));
    ctx->insert(Fd{.host = host, .type = kDirectory, .rights = kDirectoryRights, .preopen = p.guestPath});
  }
  return ctx;
}

WasiContext::~WasiContext() {
  for (auto& [_, fd] : fds_)
    if (fd.owned) ::close(fd.host);
}

WasiContext::Fd* WasiContext::find(uint32_t fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : &it->second;
}

uint32_t WasiContext::insert(Fd fd) {
  uint32_t n = 3;
  while (fds_.contains(n)) ++n;
  fds_[n] = std::move(fd);
  return n;
}

namespace {

// Lays out a list of strings as WASI wants them: an array of pointers plus a buffer of
// NUL-terminated strings.
Errno writeStringList(const GuestMemory& m, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  for (const auto& s : list) {
    if (!m.store<uint32_t>(ptrs, buf)) return kFault;
    if (!m.write(buf, {reinterpret_cast<const uint8_t*>(s.c_str()), s.size() + 1})) return kFault;
    ptrs += 4;
    buf += static_cast<uint32_t>(s.size() + 1);
  }
  return kSuccess;
}

Errno writeListSizes(const GuestMemory& m, const std::vector<std::string>& list, uint32_t count, uint32_t size) {
  uint32_t total = 0;
  for (const auto& s : list) total += static_cast<uint32_t>(s.size() + 1);
  if (!m.store<uint32_t>(count, static_cast<uint32_t>(list.size())) || !m.store<uint32_t>(size, total))
    return kFault;
  return kSuccess;
}

bool hostClock(uint32_t id, clockid_t& out) {
  switch (id) {
    case kClockRealtime: out = CLOCK_REALTIME; return true;
    case kClockMonotonic: out = CLOCK_MONOTONIC; return true;
    case kClockProcessCpu: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case kClockThreadCpu: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t nanos(const timespec& ts) { return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec); }

}  // namespace

Errno WasiContext::argsGet(Mem& m, uint32_t argv, uint32_t buf) { return writeStringList(m, config_.args, argv, buf); }
Errno WasiContext::argsSizesGet(Mem& m, uint32_t argc, uint32_t size) {
  return writeListSizes(m, config_.args, argc, size);
}
Errno WasiContext::environGet(Mem& m, uint32_t env, uint32_t buf) { return writeStringList(m, config_.env, env, buf); }
Errno WasiContext::environSizesGet(Mem& m, uint32_t count, uint32_t size) {
  return writeListSizes(m, config_.env, count, size);
}

Errno WasiContext::clockResGet(Mem& m, uint32_t id, uint32_t out) {
  clockid_t clock;
  timespec ts;
  if (!hostClock(id, clock)) return kInval;
  if (::clock_getres(clock, &ts) != 0) return fromErrno(errno);
  return m.store<uint64_t>(out, nanos(ts)) ? kSuccess : kFault;
}

Errno WasiContext::clockTimeGet(Mem& m, uint32_t id, uint64_t, uint32_t out) {
  clockid_t clock;
  timespec ts;
  if (!hostClock(id, clock)) return kInval;
  if (::clock_gettime(clock, &ts) != 0) return fromErrno(errno);
  return m.store<uint64_t>(out, nanos(ts)) ? kSuccess : kFault;
}

Errno WasiContext::randomGet(Mem& m, uint32_t buf, uint32_t len) {
  auto r = m.range(buf, len);
  if (!r) return kFault;
  size_t done = 0;
  while (done < r->size()) {
    ssize_t n = ::getrandom(r->data() + done, r->size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fromErrno(errno);
    done += static_cast<size_t>(n);
  }
  return kSuccess;
}

Errno WasiContext::schedYield(Mem&) {
  ::sched_yield();
  return kSuccess;
}

Errno WasiContext::procRaise(Mem&, uint32_t) { return kNosys; }

Errno WasiContext::pollOneoff(Mem& m, uint32_t in, uint32_t out, uint32_t count, uint32_t nevents) {
  if (count == 0) return kInval;
  if (!m.range(in, uint64_t(count) * kSubscriptionSize) || !m.range(out, uint64_t(count) * kEventSize))
    return kFault;

  struct Event {
    uint64_t userdata;
    Errno error;
    uint8_t type;
    uint64_t nbytes = 0;
    uint16_t flags = 0;
  };
  std::vector<Event> ready;
  std::vector<pollfd> pfds;
  std::vector<uint32_t> pfdSub;  // subscription index of each pollfd
  int64_t timeoutNs = -1;        // earliest clock, relative
  uint32_t timeoutSub = 0;

  for (uint32_t i = 0; i < count; ++i) {
    uint32_t s = in + i * kSubscriptionSize;
    uint64_t userdata = *m.load<uint64_t>(s);
    uint8_t tag = *m.load<uint8_t>(s + 8);
    if (tag == kEventClock) {
      uint32_t id = *m.load<uint32_t>(s + 16);
      uint64_t timeout = *m.load<uint64_t>(s + 24);
      uint16_t flags = *m.load<uint16_t>(s + 40);
      clockid_t clock;
      if (!hostClock(id, clock)) {
        ready.push_back({userdata, kInval, tag});
        continue;
      }
      // Timeouts are unsigned and guest-chosen: saturate rather than overflow.
      if (flags & kSubclockAbstime) {
        timespec now;
        ::clock_gettime(clock, &now);
        uint64_t nowNs = nanos(now);
        timeout = timeout > nowNs ? timeout - nowNs : 0;
      }
      int64_t rel = static_cast<int64_t>(std::min<uint64_t>(timeout, INT64_MAX));
      if (timeoutNs < 0 || rel < timeoutNs) {
        timeoutNs = rel;
        timeoutSub = i;
      }
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = *m.load<uint32_t>(s + 16);
      Fd* f = find(fd);
      if (!f) {
        ready.push_back({userdata, kBadf, tag});
        continue;
      }
      pfds.push_back({f->host, static_cast<short>(tag == kEventFdRead ? POLLIN : POLLOUT), 0});
      pfdSub.push_back(i);
    } else {
      ready.push_back({userdata, kInval, tag});
    }
  }

  if (ready.empty()) {
    // Never wait past the calling wasm function's deadline: it is about to be stopped anyway.
    if (callDeadline_) {
      auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(*callDeadline_ - std::chrono::steady_clock::now());
      int64_t leftNs = std::max<int64_t>(left.count(), 0);
      if (timeoutNs < 0 || leftNs < timeoutNs) timeoutNs = leftNs;
    }
    int waitMs = timeoutNs < 0 ? -1
                               : static_cast<int>(std::min<int64_t>(timeoutNs / 1000000 + (timeoutNs % 1000000 != 0),
                                                                    INT_MAX));
    if (pfds.empty()) {
      if (timeoutNs > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(timeoutNs));
    } else {
      int n;
      do n = ::poll(pfds.data(), pfds.size(), waitMs);
      while (n < 0 && errno == EINTR);
      if (n < 0) return fromErrno(errno);
    }
    for (size_t j = 0; j < pfds.size(); ++j) {
      if (!pfds[j].revents) continue;
      uint32_t s = in + pfdSub[j] * kSubscriptionSize;
      Event e{*m.load<uint64_t>(s), kSuccess, *m.load<uint8_t>(s + 8)};
      if (pfds[j].revents & POLLHUP) e.flags = kEventFdReadwriteHangup;
      if (pfds[j].revents & (POLLERR | POLLNVAL)) e.error = kBadf;
      if (e.type == kEventFdRead) {
        struct stat st;
        if (::fstat(pfds[j].fd, &st) == 0 && S_ISREG(st.st_mode)) {
          off_t pos = ::lseek(pfds[j].fd, 0, SEEK_CUR);
          e.nbytes = pos >= 0 && st.st_size > pos ? uint64_t(st.st_size - pos) : 0;
        } else {
          e.nbytes = 1;
        }
      }
      ready.push_back(e);
    }
    if (ready.empty() && timeoutNs >= 0) {
      uint32_t s = in + timeoutSub * kSubscriptionSize;
      ready.push_back({*m.load<uint64_t>(s), kSuccess, kEventClock});
    }
  }

  for (size_t j = 0; j < ready.size(); ++j) {
    uint32_t e = out + static_cast<uint32_t>(j) * kEventSize;
    auto r = m.range(e, kEventSize);
    std::memset(r->data(), 0, kEventSize);
    m.store<uint64_t>(e, ready[j].userdata);
    m.store<uint16_t>(e + 8, ready[j].error);
    m.store<uint8_t>(e + 10, ready[j].type);
    m.store<uint64_t>(e + 16, ready[j].nbytes);
    m.store<uint16_t>(e + 24, ready[j].flags);
  }
  return m.store<uint32_t>(nevents, static_cast<uint32_t>(ready.size())) ? kSuccess : kFault;
}

Errno WasiContext::sockAccept(Mem&, uint32_t fd, uint32_t, uint32_t) { return find(fd) ? kNotsup : kBadf; }
Errno WasiContext::sockRecv(Mem&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) {
  return find(fd) ? kNotsock : kBadf;
}
Errno WasiContext::sockSend(Mem&, uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t) {
  return find(fd) ? kNotsock : kBadf;
}
Errno WasiContext::sockShutdown(Mem&, uint32_t fd, uint32_t) { return find(fd) ? kNotsock : kBadf; }

}  // namespace pelato::runtime
