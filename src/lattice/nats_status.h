// Shared by the nats.c wrappers: readable errors and callbacks that never let an exception
// unwind into nats.c or end a worker thread.
#pragma once

#include <nats/nats.h>

#include <exception>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/result.h"

namespace pelato::lattice {

// nats.c's status text plus, when it has one, its more precise last error ("Connection refused").
inline std::string statusText(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (last == status && detail && *detail && text != detail) text += fmt::format(" ({})", detail);
  return text;
}

struct NatsMessage;

// nats.c message conversions shared by the client and the JetStream wrapper.
std::map<std::string, std::string> readHeaders(natsMsg* msg);
// A new natsMsg (the caller destroys it) with the message's subject, reply, data and headers.
Result<natsMsg*> makeNatsMsg(const NatsMessage& message);

// Runs a user callback; what it throws is logged as "<kind> <name> threw: ...".
template <typename F>
void callGuarded(std::string_view kind, std::string_view name, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    spdlog::error("{} {} threw: {}", kind, name, e.what());
  } catch (...) {
    spdlog::error("{} {} threw a non-standard exception", kind, name);
  }
}

}  // namespace pelato::lattice
