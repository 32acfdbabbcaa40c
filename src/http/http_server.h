// An asynchronous HTTP/1.1 server (Boost.Beast on Asio) for the host's HTTP provider, its
// /metrics endpoint and, later, the dashboard.
//
// Each connection reads one request at a time, hands it to the handler on an io thread and reads
// the next only after the response went out: keep-alive and pipelined requests are answered in
// order. HTTP/1.0 (and `Connection: close`) closes after the response. Oversized bodies get 413,
// malformed requests 400, both followed by a close. A connection that does not deliver a whole
// request within `readTimeout` (idle keep-alive included) is closed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/http_message.h"

namespace pelato::http {

// Called on an io thread; must not block (answer later through the responder instead).
using HttpHandler = std::function<void(HttpRequest, HttpResponder)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port, see HttpServer::port()
  unsigned threads = 1;
  uint64_t bodyLimit = 1 << 20;  // bytes; larger bodies get 413
  std::chrono::milliseconds readTimeout{30'000};   // for a whole request (headers and body)
  std::chrono::milliseconds writeTimeout{30'000};  // for one response or stream chunk
  std::chrono::milliseconds stopGrace{5'000};      // how long stop() waits for pending answers
};

class HttpServer {
 public:
  // Binds and listens, then serves on `threads` io threads. Fails (never throws) when the
  // address is invalid or the port is in use; the error names both.
  static Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;

  // Graceful: stops accepting, closes idle connections, lets requests already handed to the
  // handler be answered (up to `stopGrace`), then closes everything and joins the io threads.
  // Responders used afterwards do nothing. Idempotent; not to be called from a handler.
  void stop();

  struct Core;  // shared with connections, so the io_context outlives every one of them

 private:
  explicit HttpServer(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  std::shared_ptr<Core> core_;
};

}  // namespace pelato::http
