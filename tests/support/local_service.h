// What the test services (nats-server, docker-registry) need to start: their program, a free
// loopback port to start one on, and a connection to see whether it serves yet.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/result.h"

namespace pelato::testing {

// `name` on $PATH, then in /usr/sbin, /usr/local/sbin, /usr/local/bin, /usr/bin (daemons live in
// sbin, which a user's PATH may lack).
std::optional<std::filesystem::path> findProgram(std::string_view name);

// A port nobody listens on right now: bind port 0 on 127.0.0.1 and ask the kernel which one it chose.
Result<int> freeLoopbackPort();

// A connected TCP socket to 127.0.0.1:port (the caller closes it), or -1.
int connectLoopback(int port);

}  // namespace pelato::testing
