// What the test services (nats-server, docker-registry) need to start: their program, a free
// loopback port to start one on, and a connection to see whether it serves yet.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace pelato::testing {

// `name` on $PATH, then in /usr/sbin, /usr/local/sbin, /usr/local/bin, /usr/bin (daemons live in
// sbin, which a user's PATH may lack).
std::optional<std::filesystem::path> findProgram(std::string_view name);

// A port nobody listens on right now: bind port 0 on 127.0.0.1 and ask the kernel which one it chose.
Result<int> freeLoopbackPort();

// A connected TCP socket to 127.0.0.1:port (the caller closes it), or -1.
int connectLoopback(int port);

// Starts argv[0] (a path) with stdin from /dev/null and stdout/stderr appended to `logPath`;
// the child dies with the test process (PR_SET_PDEATHSIG), even if the test crashes. The
// caller waits for it to serve, and kills and reaps it.
Result<pid_t> spawnService(std::vector<std::string> argv, const std::filesystem::path& logPath);

}  // namespace pelato::testing
