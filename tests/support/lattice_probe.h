// What integration tests use to watch a lattice from the outside: a Collector of NATS messages
// (events, outputs, replies) with waits, event matchers, control-reply decoding, and `pelato
// host` child processes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lattice/messages.h"
#include "lattice/nats_client.h"
#include "support/child_process.h"

namespace pelato::testing {

class Collector {
 public:
  lattice::NatsClient::Handler handler();
  // Waits until `pred` holds for at least `count` messages.
  bool waitFor(size_t count, const std::function<bool(const lattice::NatsMessage&)>& pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool waitCount(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::vector<lattice::NatsMessage> messages();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<lattice::NatsMessage> messages_;
};

// Matches a lattice event of `type` from `host` whose data satisfies `pred` (if given).
std::function<bool(const lattice::NatsMessage&)> eventIs(std::string type, std::string host,
                                                         std::function<bool(const lattice::Json&)> pred = nullptr);

// Decodes a control reply; a missing or malformed one is a test failure and an error reply.
lattice::CtlReply ctlReply(const Result<lattice::NatsMessage>& message);

// Requests `subject` until a component answers with a reply starting with `expect`.
bool waitForService(lattice::NatsClient& nats, const std::string& subject, const std::string& data,
                    const std::string& expect, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A `pelato host` child process on `url`/`lattice` with `extraArgs`, started and ready (its
// "host <id> started" line read); empty (and a test failure) if it did not start. Its HTTP
// server takes any free port unless `extraArgs` has --http-port, it beats every 200 ms unless
// `extraArgs` has --heartbeat-ms, and it runs unsigned modules
// (--allow-unsigned) unless `extraArgs` has --trusted-issuer.
struct HostChild {
  std::unique_ptr<ChildProcess> process;
  std::string id;
  int httpPort = 0;  // 0: none
};
HostChild startHost(const std::string& binary, const std::string& url, const std::string& lattice,
                    std::vector<std::string> extraArgs = {});
// The same with `command` run instead of `binary` (e.g. {qemu-aarch64, pelato-host}; see
// aarch64_host.h), waiting up to `startTimeout` for the started line.
HostChild startHostCommand(const std::vector<std::string>& command, const std::string& url, const std::string& lattice,
                           std::vector<std::string> extraArgs = {},
                           std::chrono::milliseconds startTimeout = std::chrono::seconds(10));

// A `pelato orchestrator` child process on `url`/`lattice` with `extraArgs` (--heartbeat-ms 1000
// unless given), once it has printed that it started; an error with its output otherwise.
Result<std::unique_ptr<ChildProcess>> startOrchestrator(const std::string& binary, const std::string& url,
                                                        const std::string& lattice,
                                                        std::vector<std::string> extraArgs = {});

}  // namespace pelato::testing
