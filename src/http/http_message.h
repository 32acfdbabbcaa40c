// What a handler of pelato's HTTP server sees and answers: plain data, no Beast types, so
// providers and the dashboard can be tested without sockets.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pelato::http {

// Header fields in arrival order; names compare case-insensitively (RFC 9110).
class HttpHeaders {
 public:
  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // The first field with this name.
  std::optional<std::string_view> find(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // "/path?query" as sent
  std::string path;    // target up to '?'
  std::string query;   // after '?', without it; not decoded
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  unsigned status = 200;
  std::string contentType = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields, e.g. Allow
};

// A streamed response (Server-Sent Events): the head went out, chunks follow until close() or
// until the client goes. Copyable, usable from any thread; after the client left, send() says so.
class HttpStream {
 public:
  struct Sink {
    virtual ~Sink() = default;
    virtual bool send(std::string chunk) = 0;  // false once the connection is gone
    virtual void close() = 0;
  };
  HttpStream() = default;
  explicit HttpStream(std::shared_ptr<Sink> sink) : sink_(std::move(sink)) {}
  bool send(std::string chunk) { return sink_ && sink_->send(std::move(chunk)); }
  void close() {
    if (sink_) sink_->close();
  }

 private:
  std::shared_ptr<Sink> sink_;
};

// Where a response goes: a connection of HttpServer, or a test's function.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void respond(HttpResponse response) = 0;
  // Sends `head` (no Content-Length, chunked) and returns the stream for the body.
  virtual HttpStream stream(HttpResponse head) = 0;
};

// The one answer to one request. Move-only and one-shot; may be used later and from any thread
// (the host answers after a task ran on a worker). Dropped without an answer, it answers 500 so
// a forgotten request never hangs the client.
class HttpResponder {
 public:
  explicit HttpResponder(std::shared_ptr<ResponseSink> sink) : sink_(std::move(sink)) {}
  HttpResponder(HttpResponder&&) noexcept = default;
  HttpResponder& operator=(HttpResponder&& other) noexcept;
  HttpResponder(const HttpResponder&) = delete;
  HttpResponder& operator=(const HttpResponder&) = delete;
  ~HttpResponder();

  void respond(HttpResponse response);
  // Starts a streamed response (text/event-stream for SSE): head now, chunks via the stream.
  HttpStream stream(HttpResponse head);
  bool answered() const { return !sink_; }

 private:
  std::shared_ptr<ResponseSink> sink_;
};

HttpResponse textResponse(unsigned status, std::string body);

// Splits "/a/b?x=1" into path "/a/b" and query "x=1".
std::pair<std::string, std::string> splitTarget(std::string_view target);

}  // namespace pelato::http
