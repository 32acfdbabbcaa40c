#include "host/http_provider.h"

#include <chrono>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

namespace pelato::host {

namespace {

using Clock = std::chrono::steady_clock;
constexpr unsigned kCodes[] = {200, 202, 404, 405, 500};
constexpr std::string_view kMetricsPath = "/metrics", kHealthPath = "/healthz";

http::HttpResponse methodNotAllowed(std::string_view allow) {
  auto response = http::textResponse(405, fmt::format("method not allowed here; use {}\n", allow));
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

}  // namespace

Result<HttpMode> parseHttpMode(std::string_view name) {
  if (name == "async") return HttpMode::Async;
  if (name == "sync") return HttpMode::Sync;
  return fail("HTTP mode \"{}\" is neither async (answer 202, publish the result) nor sync (answer with the result)",
              name);
}

std::string_view toString(HttpMode mode) { return mode == HttpMode::Async ? "async" : "sync"; }

struct HttpProvider::Counters {
  std::map<unsigned, std::shared_ptr<Counter>> byCode;
  std::shared_ptr<Histogram> latency;
};

struct HttpProvider::Entry {
  HttpRoute route;
  std::shared_ptr<Counters> counters;
};

HttpProvider::HttpProvider(HttpProviderOptions options)
    : options_(std::move(options)), routes_(std::make_shared<const Table>()) {
  builtin_ = countersFor("");
}

std::shared_ptr<HttpProvider::Counters> HttpProvider::countersFor(const std::string& route) {
  if (!options_.metrics) return nullptr;
  auto counters = std::make_shared<Counters>();
  for (unsigned code : kCodes) {
    auto c = options_.metrics->counter("pelato_http_requests_total", "HTTP requests answered by the HTTP provider.",
                                       {{"route", route}, {"code", std::to_string(code)}});
    if (c) counters->byCode[code] = std::move(*c);
  }
  auto h = options_.metrics->histogram("pelato_http_request_duration_seconds",
                                       "Time from an HTTP request to its response (sync routes: the task included).",
                                       {{"route", route}});
  if (h) counters->latency = std::move(*h);
  return counters;
}

Result<void> HttpProvider::setRoutes(std::vector<HttpRoute> routes) {
  auto table = std::make_shared<Table>();
  for (auto& route : routes) {
    if (!route.path.starts_with('/') || route.path.find_first_of("?# ") != std::string::npos)
      return fail("HTTP route \"{}\": give an absolute path without query, e.g. /upper", route.path);
    if (route.path == kMetricsPath || route.path == kHealthPath)
      return fail("HTTP route {} is reserved by the host; choose another path", route.path);
    if (!route.submit) return fail("HTTP route {} has no target to submit to", route.path);
    if (table->contains(route.path)) return fail("HTTP route {} is given twice; keep one", route.path);
    auto counters = countersFor(route.path);
    auto path = route.path;
    table->emplace(std::move(path), std::make_shared<const Entry>(Entry{std::move(route), std::move(counters)}));
  }
  std::lock_guard lock(mutex_);
  routes_ = std::move(table);
  return {};
}

std::shared_ptr<const HttpProvider::Table> HttpProvider::routes() const {
  std::lock_guard lock(mutex_);
  return routes_;
}

void HttpProvider::answer(http::HttpResponder& responder, http::HttpResponse response, const Counters* counters) {
  if (counters) {
    if (auto it = counters->byCode.find(response.status); it != counters->byCode.end()) it->second->inc();
  }
  responder.respond(std::move(response));
}

void HttpProvider::handle(http::HttpRequest request, http::HttpResponder responder) {
  auto table = routes();
  auto it = table->find(request.path);
  if (it == table->end()) {
    if (request.path == kHealthPath) {
      if (request.method != "GET") return answer(responder, methodNotAllowed("GET"), builtin_.get());
      return answer(responder, http::textResponse(200, "ok\n"), builtin_.get());
    }
    if (request.path == kMetricsPath && options_.metricsText) {
      if (request.method != "GET") return answer(responder, methodNotAllowed("GET"), builtin_.get());
      return answer(responder,
                    {.status = 200, .contentType = "text/plain; version=0.0.4; charset=utf-8",
                     .body = options_.metricsText()},
                    builtin_.get());
    }
    return answer(responder, http::textResponse(404, "no route for this path\n"), builtin_.get());
  }

  auto entry = it->second;  // keeps the route alive while its task runs, even if routes change
  const Counters* counters = entry->counters.get();
  if (request.method != "POST") return answer(responder, methodNotAllowed("POST"), counters);
  auto start = Clock::now();

  if (entry->route.mode == HttpMode::Async) {
    answer(responder, {.status = 202, .contentType = "application/json", .body = "{\"accepted\":true}\n"}, counters);
    if (counters && counters->latency)
      counters->latency->observe(std::chrono::duration<double>(Clock::now() - start).count());
    entry->route.submit(std::move(request.body), [](Result<std::string>) {});
    return;
  }

  // std::function needs a copyable callable: share the one-shot responder. Should `done` never
  // be called, the last copy going away answers 500.
  auto shared = std::make_shared<http::HttpResponder>(std::move(responder));
  entry->route.submit(std::move(request.body), [shared, entry, start](Result<std::string> output) {
    const Counters* counters = entry->counters.get();
    http::HttpResponse response =
        output ? http::HttpResponse{.status = 200, .contentType = entry->route.contentType, .body = std::move(*output)}
               : http::textResponse(500, output.error().message() + "\n");
    if (counters && counters->latency)
      counters->latency->observe(std::chrono::duration<double>(Clock::now() - start).count());
    answer(*shared, std::move(response), counters);
  });
}

}  // namespace pelato::host
