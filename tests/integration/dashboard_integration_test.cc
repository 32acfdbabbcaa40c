// `pelato dashboard` with a real nats-server and a real `pelato host`: /healthz answers without
// a token, the API refuses requests without one (401, JSON), a scale through /api/scale shows in
// /api/state, the Server-Sent Events stream delivers the change within a second, and the page
// and its modules are served with the right content types, application messages are charted. A plain-socket HTTP client keeps the
// test independent of the server's own stack.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "lattice/ctl_client.h"
#include "support/lattice_probe.h"
#include "support/local_service.h"
#include "support/nats_server.h"

namespace pelato {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::ChildProcess;

constexpr const char* kLattice = "dash";
constexpr const char* kToken = "test-token-0123";

struct Reply {
  int status = 0;
  std::string head;  // status line and headers, lowercased names kept as sent
  std::string body;
  std::string header(std::string_view name) const {
    std::regex field(std::string("\r\n") + std::string(name) + ":[ ]*([^\r]*)", std::regex::icase);
    std::smatch match;
    return std::regex_search(head, match, field) ? match[1].str() : "";
  }
};

// Reads whatever arrives within `wait`; false once the peer closed.
bool readSome(int fd, std::string& into, std::chrono::milliseconds wait) {
  pollfd p{.fd = fd, .events = POLLIN};
  if (poll(&p, 1, int(wait.count())) <= 0) return true;
  char buffer[65536];
  auto n = ::read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  into.append(buffer, size_t(n));
  return true;
}

// Undoes chunked transfer encoding (the server chunks streamed bodies only).
std::string unchunk(std::string_view body) {
  std::string out;
  while (!body.empty()) {
    auto eol = body.find("\r\n");
    if (eol == std::string_view::npos) break;
    auto size = std::stoul(std::string(body.substr(0, eol)), nullptr, 16);
    if (size == 0) break;
    out += body.substr(eol + 2, size);
    body.remove_prefix(std::min(body.size(), eol + 2 + size + 2));
  }
  return out;
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::NatsServer::start();
    if (!server) GTEST_SKIP() << server.error().message();
    server_ = std::move(*server);
    host_ = testing::startHost(PELATO_BINARY, server_->url(), kLattice, {"--name", "edge-1", "--http-port", "-1"});
    ASSERT_TRUE(host_.process);
    auto dashboard = ChildProcess::start({PELATO_BINARY, "dashboard", "--nats", server_->url(), "--lattice", kLattice,
                                          "--port", "0", "--token", kToken});
    ASSERT_TRUE(dashboard) << dashboard.error().message();
    dashboard_ = std::move(*dashboard);
    ASSERT_TRUE(dashboard_->waitForOutput("Ctrl-C stops", 10s)) << dashboard_->output();
    std::smatch match;
    auto output = dashboard_->output();
    std::regex url(R"(dashboard http://127\.0\.0\.1:(\d+)/\?token=(\S+))");
    ASSERT_TRUE(std::regex_search(output, match, url)) << output;
    port_ = std::stoi(match[1]);
    EXPECT_EQ(match[2], kToken);
  }

  int connect() {
    int fd = testing::connectLoopback(port_);
    EXPECT_GE(fd, 0) << "cannot connect to the dashboard on port " << port_;
    return fd;
  }

  // One request on its own connection (Connection: close), read to the end.
  Reply request(const std::string& method, const std::string& target, const std::string& body = {},
                bool withToken = true) {
    int fd = connect();
    if (fd < 0) return {};
    std::string text = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, target);
    if (withToken) text += fmt::format("Authorization: Bearer {}\r\n", kToken);
    if (!body.empty()) text += fmt::format("Content-Type: application/json\r\nContent-Length: {}\r\n", body.size());
    text += "\r\n" + body;
    EXPECT_EQ(::write(fd, text.data(), text.size()), ssize_t(text.size()));
    std::string raw;
    auto deadline = Clock::now() + 40s;
    while (Clock::now() < deadline && readSome(fd, raw, 200ms)) {
    }
    ::close(fd);
    Reply reply;
    auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return reply;
    reply.head = raw.substr(0, end);
    reply.body = raw.substr(end + 4);
    if (reply.head.size() > 12) reply.status = std::stoi(reply.head.substr(9, 3));
    if (reply.header("Transfer-Encoding") == "chunked") reply.body = unchunk(reply.body);
    return reply;
  }

  std::unique_ptr<testing::NatsServer> server_;
  testing::HostChild host_;
  std::unique_ptr<ChildProcess> dashboard_;
  int port_ = 0;
};

TEST_F(DashboardTest, ServesThePageGuardsTheApiAndStreamsAScaleWithinASecond) {
  auto health = request("GET", "/healthz", {}, false);
  EXPECT_EQ(health.status, 200) << health.head;

  auto refused = request("GET", "/api/state", {}, false);
  EXPECT_EQ(refused.status, 401) << refused.head;
  EXPECT_EQ(refused.header("Content-Type"), "application/json");
  EXPECT_NE(refused.body.find(R"("error")"), std::string::npos) << refused.body;
  EXPECT_EQ(request("GET", "/api/state?token=wrong", {}, false).status, 401);
  EXPECT_EQ(request("GET", std::string("/api/state?token=") + kToken, {}, false).status, 200);

  // The page and a module, with the types a browser needs to run them.
  auto index = request("GET", "/", {}, false);
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("importmap"), std::string::npos);
  auto app = request("GET", "/app.js", {}, false);
  EXPECT_EQ(app.status, 200);
  EXPECT_EQ(app.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(app.body.find("data-testid"), std::string::npos);
  EXPECT_EQ(request("GET", "/vendor/preact.mjs", {}, false).header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(request("GET", "/nothing.js", {}, false).status, 404);

  // The host shows up in the view (from its heartbeats).
  auto deadline = Clock::now() + 10s;
  Reply state;
  while (Clock::now() < deadline) {
    state = request("GET", "/api/state");
    if (state.body.find(host_.id) != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(state.body.find(host_.id), std::string::npos) << state.body;
  EXPECT_NE(state.body.find(R"("friendly_name":"edge-1")"), std::string::npos) << state.body;

  // A bad action is refused with a message naming the field.
  auto bad = request("POST", "/api/scale", R"({"component_id": "upper", "count": 1})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("host_id"), std::string::npos) << bad.body;

  // Open the stream; its first event is the whole view.
  int stream = connect();
  ASSERT_GE(stream, 0);
  std::string open = fmt::format("GET /api/stream?token={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", kToken);
  ASSERT_EQ(::write(stream, open.data(), open.size()), ssize_t(open.size()));
  std::string events;
  deadline = Clock::now() + 5s;
  while (Clock::now() < deadline && events.find(host_.id) == std::string::npos && readSome(stream, events, 100ms)) {
  }
  EXPECT_NE(events.find("text/event-stream"), std::string::npos) << events.substr(0, 300);
  ASSERT_NE(events.find("event: state"), std::string::npos) << events.substr(0, 300);
  ASSERT_EQ(events.find(R"("id":"upper")"), std::string::npos);

  // Scale through the API; the host confirms before the answer comes back.
  auto scaled = request("POST", "/api/scale",
                        fmt::format(R"({{"component_id": "upper", "image_ref": "file://{}/upper_task.wasm", )"
                                    R"("host_id": "{}", "count": 2}})",
                                    PELATO_GUEST_DIR, host_.id));
  ASSERT_EQ(scaled.status, 200) << scaled.body;
  auto answered = Clock::now();
  events.clear();
  while (Clock::now() - answered < 1s && events.find(R"("id":"upper")") == std::string::npos &&
         readSome(stream, events, 50ms)) {
  }
  EXPECT_NE(events.find(R"("id":"upper")"), std::string::npos) << "the stream did not show the scale within 1 s";
  ::close(stream);

  state = request("GET", "/api/state");
  auto json = lattice::parseJson(state.body);
  ASSERT_TRUE(json) << state.body;
  bool found = false;
  for (const auto& host : (*json)["hosts"])
    for (const auto& component : host["components"])
      if (host["id"] == host_.id && component["id"] == "upper") {
        found = true;
        EXPECT_EQ(component["instances"], 2);
      }
  EXPECT_TRUE(found) << state.body;
  EXPECT_NE(state.body.find("component_scaled"), std::string::npos) << "listed among the recent events";

  // Actions that reach the lattice and fail say why (no orchestrator in this lattice).
  auto undeploy = request("POST", "/api/undeploy", R"({"name": "nothing"})");
  EXPECT_EQ(undeploy.status, 502) << undeploy.body;
  EXPECT_NE(undeploy.body.find("orchestrator"), std::string::npos) << undeploy.body;

  // Application messages are counted per subject for the chart; protocol ones are not.
  auto nats = lattice::NatsClient::connect({.url = server_->url(), .name = "dashboard-test"});
  ASSERT_TRUE(nats) << nats.error().message();
  bool charted = false;
  deadline = Clock::now() + 5s;
  while (!charted && Clock::now() < deadline) {
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*nats)->publish("orders.new", "order"));
    std::this_thread::sleep_for(200ms);
    state = request("GET", "/api/state");
    charted = state.body.find(R"("subject":"orders.new")") != std::string::npos;
  }
  EXPECT_TRUE(charted) << state.body;
  EXPECT_EQ(state.body.find(R"("subject":"wasmbus.)"), std::string::npos);

  dashboard_->signal(SIGTERM);
  EXPECT_EQ(dashboard_->waitExit(10s), 0) << dashboard_->output();
}

}  // namespace
}  // namespace pelato
