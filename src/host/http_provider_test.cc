#include "host/http_provider.h"

#include <future>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>

namespace pelato::host {
namespace {

using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;

// Captures what the provider answers, without sockets.
struct Capture : http::ResponseSink {
  std::promise<HttpResponse> promise;
  void respond(HttpResponse response) override { promise.set_value(std::move(response)); }
  http::HttpStream stream(HttpResponse) override { return {}; }
};

HttpResponse call(HttpProvider& provider, std::string method, std::string path, std::string body = "") {
  auto capture = std::make_shared<Capture>();
  auto future = capture->promise.get_future();
  provider.handle({.method = std::move(method), .target = path, .path = path, .body = std::move(body)},
                  HttpResponder(capture));
  return future.get();
}

std::optional<std::string> header(const HttpResponse& r, std::string_view name) {
  for (auto& [n, v] : r.headers)
    if (n == name) return v;
  return std::nullopt;
}

HttpSubmit upper() {
  return [](std::string body, std::function<void(Result<std::string>)> done) {
    for (auto& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    done(std::move(body));
  };
}

TEST(HttpProvider, SyncRouteAnswersWithTheOutputOrTheError) {
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes(
      {{.path = "/upper", .mode = HttpMode::Sync, .submit = upper(), .contentType = "text/plain"},
       {.path = "/trap", .mode = HttpMode::Sync, .submit = [](std::string, auto done) {
          done(fail("exec_task trapped: unreachable"));
        }}}));
  auto ok = call(provider, "POST", "/upper", "hello");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "HELLO");
  EXPECT_EQ(ok.contentType, "text/plain");
  auto trapped = call(provider, "POST", "/trap", "x");
  EXPECT_EQ(trapped.status, 500);
  EXPECT_EQ(trapped.body, "exec_task trapped: unreachable\n");
}

TEST(HttpProvider, SyncRouteAnswersWhenTheTaskEndsOnAnotherThread) {
  std::thread worker;
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/slow", .mode = HttpMode::Sync,
                                   .submit = [&](std::string body, std::function<void(Result<std::string>)> done) {
                                     worker = std::thread([body, done] { done(body + "!"); });
                                   }}}));
  auto r = call(provider, "POST", "/slow", "x");
  worker.join();
  EXPECT_EQ(r.body, "x!");
}

TEST(HttpProvider, SyncRouteWhoseTaskNeverAnswersGets500) {
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/lost", .mode = HttpMode::Sync, .submit = [](std::string, auto) {}}}));
  EXPECT_EQ(call(provider, "POST", "/lost").status, 500);
}

TEST(HttpProvider, AsyncRouteAccepts202AndStillRunsTheTask) {
  std::promise<std::string> submitted;
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/in", .submit = [&](std::string body, auto done) {
                                     submitted.set_value(body);
                                     done(std::string("ignored"));
                                   }}}));
  auto r = call(provider, "POST", "/in", "payload");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.contentType, "application/json");
  EXPECT_EQ(r.body, "{\"accepted\":true}\n");
  EXPECT_EQ(submitted.get_future().get(), "payload");
}

TEST(HttpProvider, OnlyPostOnRoutesAnd404Elsewhere) {
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/upper", .mode = HttpMode::Sync, .submit = upper()}}));
  auto get = call(provider, "GET", "/upper");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(header(get, "Allow"), "POST");
  auto missing = call(provider, "POST", "/other");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("/upper"), std::string::npos);  // routes are not listed
  EXPECT_EQ(call(provider, "GET", "/metrics").status, 404);   // no metrics callback given
}

TEST(HttpProvider, HealthAndMetrics) {
  MetricsRegistry registry;
  HttpProvider provider({.metricsText = [&] { return registry.render(); }, .metrics = &registry});
  ASSERT_TRUE(provider.setRoutes({{.path = "/upper", .mode = HttpMode::Sync, .submit = upper()}}));
  auto health = call(provider, "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(call(provider, "POST", "/healthz").status, 405);
  call(provider, "POST", "/upper", "a");
  call(provider, "POST", "/upper", "b");
  auto metrics = call(provider, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.contentType, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("pelato_http_requests_total{route=\"/upper\",code=\"200\"} 2\n"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("pelato_http_request_duration_seconds_count{route=\"/upper\"} 2\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("pelato_http_requests_total{route=\"\",code=\"200\"} 1\n"), std::string::npos);
}

TEST(HttpProvider, RoutesCanBeReplacedAndBadOnesAreRefused) {
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/a", .mode = HttpMode::Sync, .submit = upper()}}));
  EXPECT_FALSE(provider.setRoutes({{.path = "relative", .submit = upper()}}));
  EXPECT_FALSE(provider.setRoutes({{.path = "/metrics", .submit = upper()}}));
  EXPECT_FALSE(provider.setRoutes({{.path = "/q?x=1", .submit = upper()}}));
  EXPECT_FALSE(provider.setRoutes({{.path = "/b"}}));
  EXPECT_FALSE(provider.setRoutes({{.path = "/b", .submit = upper()}, {.path = "/b", .submit = upper()}}));
  EXPECT_EQ(call(provider, "POST", "/a", "x").status, 200);  // a refused table changes nothing
  ASSERT_TRUE(provider.setRoutes({{.path = "/b", .mode = HttpMode::Sync, .submit = upper()}}));
  EXPECT_EQ(call(provider, "POST", "/a", "x").status, 404);
  EXPECT_EQ(call(provider, "POST", "/b", "x").body, "X");
}

TEST(HttpProvider, ParsesModes) {
  EXPECT_EQ(parseHttpMode("sync"), HttpMode::Sync);
  EXPECT_EQ(parseHttpMode("async"), HttpMode::Async);
  EXPECT_FALSE(parseHttpMode("later"));
}

// The provider behind a real server: one round trip over a socket.
TEST(HttpProvider, ServesOverHttpServer) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  HttpProvider provider({});
  ASSERT_TRUE(provider.setRoutes({{.path = "/upper", .mode = HttpMode::Sync, .submit = upper()}}));
  auto server = http::HttpServer::start({}, provider.handler());
  ASSERT_TRUE(server) << server.error().message();

  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), (*server)->port()});
  boost::beast::flat_buffer buffer;
  auto exchange = [&](std::string_view raw) {
    asio::write(socket, asio::buffer(raw));
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    return response;
  };
  auto r = exchange("POST /upper HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "ABC");
  EXPECT_EQ(exchange("POST /nope HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").result_int(), 404);
}

}  // namespace
}  // namespace pelato::host
