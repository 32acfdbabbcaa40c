// Loopback ports for `pelato up`: is one free, and a free one when asked for port 0.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace pelato::up {

// Whether something already listens on 127.0.0.1:port (a connect succeeds).
bool portInUse(uint16_t port);

// `port` itself when free; any free port when 0. A port in use is an error naming `what` and
// the flag that changes it ("port 4222 (nats) is in use: ...; pass --nats-port N or 0").
Result<uint16_t> claimPort(uint16_t port, std::string_view what, std::string_view flag);

}  // namespace pelato::up
