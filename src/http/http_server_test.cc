#include "http/http_server.h"

#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>

namespace pelato::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

using Response = bhttp::response<bhttp::string_body>;

// A blocking client over one connection: raw bytes out, parsed responses in.
struct Client {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;

  explicit Client(uint16_t port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }
  void send(std::string_view raw) { asio::write(socket, asio::buffer(raw)); }
  Response read() {
    Response response;
    bhttp::read(socket, buffer, response);
    return response;
  }
  Response exchange(std::string_view raw) {
    send(raw);
    return read();
  }
  // Whether the server closed the connection (reads until EOF or error).
  bool closedByServer() {
    char byte;
    beast::error_code ec;
    asio::read(socket, asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
};

std::string post(std::string_view path, std::string_view body, std::string_view extra = "") {
  return fmt::format("POST {} HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\n{}\r\n{}", path, body.size(), extra,
                     body);
}

// Echoes method, path, query, a header and the body.
HttpHandler echo() {
  return [](HttpRequest request, HttpResponder responder) {
    auto ua = request.headers.find("x-TEST").value_or("-");
    responder.respond(textResponse(
        200, fmt::format("{} {} {} {} {}", request.method, request.path, request.query, ua, request.body)));
  };
}

std::unique_ptr<HttpServer> serve(HttpHandler handler, HttpServerOptions options = {}) {
  auto server = HttpServer::start(std::move(options), std::move(handler));
  EXPECT_TRUE(server) << server.error().message();
  return server ? std::move(*server) : nullptr;
}

TEST(HttpHeaders, FindIgnoresCase) {
  HttpHeaders headers;
  headers.add("Content-Type", "text/plain");
  EXPECT_EQ(headers.find("content-type"), "text/plain");
  EXPECT_EQ(headers.find("CONTENT-TYPE"), "text/plain");
  EXPECT_FALSE(headers.find("content-length"));
}

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = serve(echo(), {.threads = 2});
  ASSERT_TRUE(server);
  Client client(server->port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.exchange(post(fmt::format("/p{}?q=1", i), "hi", "X-Test: yes\r\n"));
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.body(), fmt::format("POST /p{} q=1 yes hi", i));
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(HttpServer, AnswersPipelinedRequestsInOrder) {
  // The first answer comes last in time: order must still be kept.
  std::vector<std::thread> threads;
  std::mutex mutex;
  auto server = serve([&](HttpRequest request, HttpResponder responder) {
    auto delay = request.body == "0" ? 50ms : 0ms;
    std::lock_guard lock(mutex);
    threads.emplace_back([delay, body = request.body, r = std::move(responder)]() mutable {
      std::this_thread::sleep_for(delay);
      r.respond(textResponse(200, "r" + body));
    });
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  client.send(post("/", "0") + post("/", "1") + post("/", "2"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.read().body(), fmt::format("r{}", i));
  server->stop();
  for (auto& t : threads) t.join();
}

TEST(HttpServer, AnswersFromAnotherThreadLater) {
  std::promise<HttpResponder> pending;
  auto server = serve([&](HttpRequest, HttpResponder responder) { pending.set_value(std::move(responder)); });
  ASSERT_TRUE(server);
  std::thread worker([&] {
    auto responder = pending.get_future().get();
    std::this_thread::sleep_for(20ms);
    responder.respond({.status = 201, .contentType = "application/json", .body = "{}", .headers = {{"X-A", "b"}}});
  });
  Client client(server->port());
  auto response = client.exchange(post("/task", "x"));
  worker.join();
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(response["x-a"], "b");
  EXPECT_EQ(response.body(), "{}");
}

TEST(HttpServer, DroppedResponderAnswers500) {
  auto server = serve([](HttpRequest, HttpResponder) {});
  ASSERT_TRUE(server);
  Client client(server->port());
  EXPECT_EQ(client.exchange(post("/", "x")).result_int(), 500);
  EXPECT_EQ(client.exchange(post("/", "y")).result_int(), 500);  // the connection stays usable
}

TEST(HttpServer, ThrowingHandlerAnswers500) {
  auto server = serve([](HttpRequest, HttpResponder) { throw std::runtime_error("boom"); });
  ASSERT_TRUE(server);
  Client client(server->port());
  EXPECT_EQ(client.exchange(post("/", "x")).result_int(), 500);
}

TEST(HttpServer, RejectsLargeBodiesWith413) {
  auto server = serve(echo(), {.bodyLimit = 1000});
  ASSERT_TRUE(server);
  {
    // Announced too large: refused after the header, without reading the body.
    Client client(server->port());
    client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\nabc");
    auto response = client.read();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(client.closedByServer());
  }
  {
    // Chunked: found out while reading.
    Client client(server->port());
    std::string chunk(600, 'a');
    client.send(fmt::format("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n{}\r\n258\r\n{}\r\n0\r\n\r\n",
                            chunk, chunk));
    EXPECT_EQ(client.read().result_int(), 413);
  }
  Client client(server->port());
  EXPECT_EQ(client.exchange(post("/", std::string(1000, 'b'))).result_int(), 200);
}

TEST(HttpServer, AnswersExpectContinue) {
  auto server = serve(echo());
  ASSERT_TRUE(server);
  Client client(server->port());
  client.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string interim(25, '\0');
  asio::read(client.socket, asio::buffer(interim));
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("body");
  EXPECT_EQ(client.read().body(), "POST /c  - body");
}

TEST(HttpServer, MalformedRequestGets400AndClose) {
  auto server = serve(echo());
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.exchange("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_TRUE(client.closedByServer());
  Client other(server->port());
  EXPECT_EQ(other.exchange("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").result_int(), 400);
}

TEST(HttpServer, Http10ClosesAfterTheResponse) {
  auto server = serve(echo());
  ASSERT_TRUE(server);
  Client client(server->port());
  auto response = client.exchange("GET /old HTTP/1.0\r\n\r\n");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.version(), 10);
  EXPECT_TRUE(client.closedByServer());

  Client kept(server->port());  // unless it asks for keep-alive
  EXPECT_EQ(kept.exchange("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").result_int(), 200);
  EXPECT_EQ(kept.exchange("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").body(), "GET /b  - ");
}

TEST(HttpServer, ClosesIdleConnections) {
  auto server = serve(echo(), {.readTimeout = 100ms});
  ASSERT_TRUE(server);
  Client client(server->port());
  EXPECT_EQ(client.exchange(post("/", "x")).result_int(), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(HttpServer, PortInUseIsAnErrorNamingThePort) {
  auto first = serve(echo());
  ASSERT_TRUE(first);
  auto second = HttpServer::start({.port = first->port()}, echo());
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find(std::to_string(first->port())), std::string::npos)
      << second.error().message();
  EXPECT_NE(second.error().message().find("in use"), std::string::npos);
  EXPECT_FALSE(HttpServer::start({.address = "localhost:80"}, echo()));
}

TEST(HttpServer, StopLetsAPendingRequestBeAnswered) {
  std::promise<HttpResponder> pending;
  auto server = serve([&](HttpRequest, HttpResponder responder) { pending.set_value(std::move(responder)); });
  ASSERT_TRUE(server);
  Client client(server->port());
  Client idle(server->port());
  client.send(post("/", "x"));
  auto responder = pending.get_future().get();
  std::thread stopper([&] { server->stop(); });
  std::this_thread::sleep_for(50ms);  // stop() is waiting for the answer
  responder.respond(textResponse(200, "late"));
  auto response = client.read();
  stopper.join();
  EXPECT_EQ(response.body(), "late");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closedByServer());
  EXPECT_TRUE(idle.closedByServer());
  EXPECT_THROW(Client{server->port()}, boost::system::system_error);  // no longer accepting
}

TEST(HttpServer, StopGivesUpOnUnansweredRequestsAfterTheGrace) {
  std::promise<HttpResponder> pending;
  auto server = serve([&](HttpRequest, HttpResponder responder) { pending.set_value(std::move(responder)); },
                      {.stopGrace = 100ms});
  ASSERT_TRUE(server);
  Client client(server->port());
  client.send(post("/", "x"));
  auto responder = pending.get_future().get();
  auto start = std::chrono::steady_clock::now();
  server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(client.closedByServer());
  responder.respond(textResponse(200, "too late"));  // does nothing
  server.reset();                                     // the server goes before a responder...
  { HttpResponder dropped(std::move(responder)); }   // ...which may still be dropped safely
}

TEST(HttpServer, StreamsChunksUntilClosed) {
  std::promise<HttpStream> streamed;
  auto server = serve([&](HttpRequest, HttpResponder responder) {
    streamed.set_value(responder.stream({.status = 200, .contentType = "text/event-stream"}));
  });
  ASSERT_TRUE(server);
  Client client(server->port());
  client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n");
  auto stream = streamed.get_future().get();
  EXPECT_TRUE(stream.send("data: one\n\n"));
  EXPECT_TRUE(stream.send("data: two\n\n"));
  stream.close();
  auto response = client.read();  // the parser joins the chunks
  EXPECT_EQ(response[bhttp::field::content_type], "text/event-stream");
  EXPECT_TRUE(response.chunked());
  EXPECT_EQ(response.body(), "data: one\n\ndata: two\n\n");
}

TEST(HttpServer, StreamNoticesTheClientLeaving) {
  std::promise<HttpStream> streamed;
  auto server = serve([&](HttpRequest, HttpResponder responder) {
    streamed.set_value(responder.stream({.contentType = "text/event-stream"}));
  });
  ASSERT_TRUE(server);
  auto client = std::make_unique<Client>(server->port());
  client->send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n");
  auto stream = streamed.get_future().get();
  EXPECT_TRUE(stream.send("data: x\n\n"));
  client.reset();
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (stream.send("data: y\n\n") && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(stream.send("data: z\n\n"));
}

}  // namespace
}  // namespace pelato::http
