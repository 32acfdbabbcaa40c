// The host's HTTP provider (the thesis's `http_producer_nats`): a POST to a route's exact path
// becomes a task. `async` routes answer 202 at once and leave the result to the route's submit
// function (the host publishes it to the link's destination); `sync` routes answer with the
// task's output (200) or its error (500). Also GET /metrics and GET /healthz.
//
// Independent of NATS and of components: a route's `submit` is whatever the host builds
// (typically a lambda calling Component::submit and publishing in `done`). Plug `handler()`
// into an http::HttpServer.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/metrics.h"
#include "common/result.h"
#include "http/http_server.h"

namespace pelato::host {

enum class HttpMode { Async, Sync };
Result<HttpMode> parseHttpMode(std::string_view name);  // "async" | "sync"
std::string_view toString(HttpMode mode);

// Runs the task on `body`; calls `done` exactly once, from any thread, with the output or the
// reason there is none. Must not block.
using HttpSubmit = std::function<void(std::string body, std::function<void(Result<std::string>)> done)>;

struct HttpRoute {
  std::string path;  // exact, e.g. "/upper"
  HttpMode mode = HttpMode::Async;
  HttpSubmit submit;
  std::string contentType = "application/octet-stream";  // of a sync route's output
};

struct HttpProviderOptions {
  std::function<std::string()> metricsText;  // GET /metrics; 404 when not given
  // When given: pelato_http_requests_total{route,code} and
  // pelato_http_request_duration_seconds{route} (request in → response handed to the server).
  MetricsRegistry* metrics = nullptr;
};

class HttpProvider {
 public:
  explicit HttpProvider(HttpProviderOptions options);

  // Replaces every route at once (thread-safe; requests in flight finish on the old ones). Fails,
  // changing nothing, on a path that is not absolute, has a query, is reserved (/metrics,
  // /healthz) or repeats, or on a route without a submit function.
  Result<void> setRoutes(std::vector<HttpRoute> routes);

  void handle(http::HttpRequest request, http::HttpResponder responder);
  // For HttpServer::start; the provider must outlive the server.
  http::HttpHandler handler() {
    return [this](http::HttpRequest request, http::HttpResponder responder) {
      handle(std::move(request), std::move(responder));
    };
  }

 private:
  struct Entry;
  using Table = std::unordered_map<std::string, std::shared_ptr<const Entry>>;
  struct Counters;  // handles into the registry for one route label

  std::shared_ptr<const Table> routes() const;
  std::shared_ptr<Counters> countersFor(const std::string& route);
  static void answer(http::HttpResponder& responder, http::HttpResponse response, const Counters* counters);

  HttpProviderOptions options_;
  std::shared_ptr<Counters> builtin_;  // /metrics, /healthz and unknown paths: route=""
  mutable std::mutex mutex_;           // guards routes_
  std::shared_ptr<const Table> routes_;
};

}  // namespace pelato::host
