#include "up/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pelato::up {
namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Binds a fresh socket to port (0: the kernel picks); the port it got, or 0 when taken.
uint16_t tryBind(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  auto addr = loopback(port);
  uint16_t got = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    got = ntohs(addr.sin_port);
  ::close(fd);
  return got;
}

}  // namespace

bool portInUse(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  auto addr = loopback(port);
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return connected;
}

Result<uint16_t> claimPort(uint16_t port, std::string_view what, std::string_view flag) {
  if (port == 0) {
    if (uint16_t got = tryBind(0)) return got;
    return fail("no free loopback port for {}", what);
  }
  if (portInUse(port) || tryBind(port) == 0)
    return fail("port {} ({}) is in use: is another `pelato up` or {} running? `pelato down` stops a pelato up; "
                "or pass {} with another port (0 = any free one)",
                port, what, what, flag);
  return port;
}

}  // namespace pelato::up
