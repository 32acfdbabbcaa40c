#include "support/lattice_probe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "lattice/events.h"

namespace pelato::testing {

using namespace std::chrono_literals;
using lattice::NatsMessage;

lattice::NatsClient::Handler Collector::handler() {
  return [this](NatsMessage m) {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(m));
    changed_.notify_all();
  };
}

bool Collector::waitFor(size_t count, const std::function<bool(const NatsMessage&)>& pred,
                        std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    size_t n = 0;
    for (const auto& m : messages_) n += pred(m) ? 1 : 0;
    return n >= count;
  });
}

bool Collector::waitCount(size_t count, std::chrono::milliseconds timeout) {
  return waitFor(count, [](const NatsMessage&) { return true; }, timeout);
}

std::vector<NatsMessage> Collector::messages() {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::function<bool(const NatsMessage&)> eventIs(std::string type, std::string host,
                                                std::function<bool(const lattice::Json&)> pred) {
  return [=](const NatsMessage& m) {
    auto json = lattice::parseJson(m.data);
    if (!json) return false;
    auto event = lattice::CloudEvent::fromJson(*json);
    if (!event || event->latticeType() != type || event->source != host) return false;
    return !pred || pred(event->data);
  };
}

lattice::CtlReply ctlReply(const Result<NatsMessage>& message) {
  EXPECT_TRUE(message) << (message ? "" : message.error().message());
  if (!message) return lattice::CtlReply::error("no reply");
  auto json = lattice::parseJson(message->data);
  EXPECT_TRUE(json) << message->data;
  if (!json) return lattice::CtlReply::error("bad reply");
  auto parsed = lattice::CtlReply::fromJson(*json);
  EXPECT_TRUE(parsed) << message->data;
  return parsed ? *parsed : lattice::CtlReply::error("bad reply");
}

bool waitForService(lattice::NatsClient& nats, const std::string& subject, const std::string& data,
                    const std::string& expect, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = nats.request(subject, data, 1s);
    if (r && r->data.starts_with(expect)) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

HostChild startHost(const std::string& binary, const std::string& url, const std::string& lattice,
                    std::vector<std::string> extraArgs) {
  return startHostCommand({binary}, url, lattice, std::move(extraArgs));
}

HostChild startHostCommand(const std::vector<std::string>& command, const std::string& url, const std::string& lattice,
                           std::vector<std::string> extraArgs, std::chrono::milliseconds startTimeout) {
  std::vector<std::string> argv = command;
  argv.insert(argv.end(), {"host", "--nats", url, "--lattice", lattice});
  if (std::find(extraArgs.begin(), extraArgs.end(), "--heartbeat-ms") == extraArgs.end())
    argv.insert(argv.end(), {"--heartbeat-ms", "200"});
  if (std::find(extraArgs.begin(), extraArgs.end(), "--http-port") == extraArgs.end())
    argv.insert(argv.end(), {"--http-port", "0"});
  // Test guests are unsigned, unless the test brings its own trust.
  if (std::find(extraArgs.begin(), extraArgs.end(), "--trusted-issuer") == extraArgs.end())
    argv.push_back("--allow-unsigned");
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  auto child = ChildProcess::start(argv);
  EXPECT_TRUE(child) << (child ? "" : child.error().message());
  if (!child) return {};
  HostChild host{.process = std::move(*child)};
  // "host <id> started on lattice ..."
  bool started = host.process->waitForOutput(" started", startTimeout);
  std::string out = host.process->output();
  EXPECT_TRUE(started && out.starts_with("host ")) << "pelato host did not start: " << out;
  if (started && out.starts_with("host ")) host.id = out.substr(5, out.find(' ', 5) - 5);
  // "... (nats://…, http://127.0.0.1:PORT)"
  if (auto http = out.find("http://"); http != std::string::npos && out.find('\n') > http)
    host.httpPort = std::atoi(out.c_str() + out.find(':', http + 7) + 1);
  return host;
}

Result<std::unique_ptr<ChildProcess>> startOrchestrator(const std::string& binary, const std::string& url,
                                                        const std::string& lattice,
                                                        std::vector<std::string> extraArgs) {
  std::vector<std::string> argv{binary, "orchestrator", "--nats", url, "--lattice", lattice};
  if (std::find(extraArgs.begin(), extraArgs.end(), "--heartbeat-ms") == extraArgs.end())
    argv.insert(argv.end(), {"--heartbeat-ms", "1000"});
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  auto child = ChildProcess::start(argv);
  if (!child) return fail(std::move(child.error()));
  // "orchestrator <id> started on lattice ..."
  if (!(*child)->waitForOutput(" started", std::chrono::seconds(20)))
    return fail("pelato orchestrator did not start: {}", (*child)->output());
  return std::move(*child);
}

}  // namespace pelato::testing
