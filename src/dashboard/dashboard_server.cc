#include "dashboard/dashboard_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "dashboard/dashboard_api.h"
#include "lattice/component_migration.h"
#include "lattice/migrate_api.h"

namespace pelato::dashboard {
namespace {

using lattice::Json;
using namespace std::chrono;

std::string sseEvent(const Snapshot& snapshot) {
  return fmt::format("event: state\nid: {}\ndata: {}\n\n", snapshot.version, snapshot.json);
}

}  // namespace

DashboardServer::DashboardServer(DashboardConfig config, StaticAssets assets, LatticeMonitor& monitor,
                                 lattice::CtlClient& ctl, lattice::WadmClient& wadm)
    : config_(std::move(config)), assets_(std::move(assets)), monitor_(monitor), ctl_(ctl), wadm_(wadm) {}

Result<std::unique_ptr<DashboardServer>> DashboardServer::start(DashboardConfig config, StaticAssets assets,
                                                               LatticeMonitor& monitor, lattice::CtlClient& ctl,
                                                               lattice::WadmClient& wadm) {
  if (config.token.empty()) return fail("the dashboard needs a token: every /api/* request must carry it");
  std::unique_ptr<DashboardServer> server(new DashboardServer(std::move(config), std::move(assets), monitor, ctl, wadm));
  auto* self = server.get();
  // Two io threads: an open stream never holds one, but a slow client writing a big body might.
  auto http = http::HttpServer::start(
      {.address = server->config_.address, .port = server->config_.port, .threads = 2, .stopGrace = 2s},
      [self](http::HttpRequest request, http::HttpResponder responder) {
        self->handle(std::move(request), std::move(responder));
      });
  if (!http) return fail(std::move(http.error()).context("starting the dashboard's web server"));
  server->http_ = std::move(*http);
  server->pusher_ = std::thread([self] { self->push(); });
  for (unsigned i = 0; i < std::max(1u, server->config_.workers); ++i)
    server->workers_.emplace_back([self] { self->work(); });
  return server;
}

DashboardServer::~DashboardServer() { stop(); }

uint16_t DashboardServer::port() const { return http_ ? http_->port() : 0; }

void DashboardServer::stop() {
  std::vector<Stream> streams;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !pusher_.joinable()) return;
    stopping_ = true;
    streams.swap(streams_);
  }
  wake_.notify_all();
  for (auto& s : streams) s.stream.close();
  if (pusher_.joinable()) pusher_.join();
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
  if (http_) http_->stop();
}

void DashboardServer::handle(http::HttpRequest request, http::HttpResponder responder) {
  const auto& path = request.path;
  if (path == "/healthz") return responder.respond(jsonResponse(200, Json{{"status", "ok"}}));
  if (!path.starts_with("/api/")) {
    if (request.method != "GET" && request.method != "HEAD")
      return responder.respond(jsonError(405, fmt::format("{} takes GET only", path)));
    auto* asset = assets_.find(path);
    if (!asset) return responder.respond(jsonError(404, fmt::format("no page or file at {}", path)));
    return responder.respond({.status = 200, .contentType = asset->contentType, .body = asset->body,
                              .headers = {{"Cache-Control", "no-cache"}}});
  }
  if (!hasToken(request, config_.token))
    return responder.respond(jsonError(
        401, "missing or wrong token: send `Authorization: Bearer TOKEN` or ?token=TOKEN (the token "
             "`pelato dashboard` printed)"));
  if (path == "/api/state" || path == "/api/stream") {
    if (request.method != "GET") return responder.respond(jsonError(405, fmt::format("{} takes GET only", path)));
    if (path == "/api/stream") return openStream(std::move(responder));
    return responder.respond({.status = 200, .contentType = "application/json", .body = monitor_.snapshot().json,
                              .headers = {{"Cache-Control", "no-store"}}});
  }
  using Job = std::function<Result<Json>()>;
  Result<Job> job = fail("no API at {}; see docs/PROTOCOL.md, \"Dashboard HTTP API\"", path);
  unsigned notFound = 404;
  const auto& body = request.body;
  if (path == "/api/scale") {
    notFound = 0;
    auto scale = parseScale(body);
    if (!scale) {
      job = fail(std::move(scale.error()));
    } else {
      auto known = monitor_.componentOf(scale->componentId);
      if (scale->imageRef.empty() && known) scale->imageRef = known->imageRef;
      if (known && !known->app.empty())
        // The orchestrator keeps an application's components at its manifest's counts: a scale
        // here would be undone within seconds.
        job = fail("scale: {} belongs to application {}, whose manifest sets its instances (the orchestrator "
                   "would undo this); change the manifest's instances and deploy it, or migrate the component",
                   scale->componentId, known->app);
      else if (scale->imageRef.empty())
        job = fail("scale: image_ref: component {} runs on no host the dashboard knows; give its image ref",
                   scale->componentId);
      else
        job = Job([this, s = *scale]() -> Result<Json> {
          lattice::ScaleComponentCommand command{.componentRef = s.imageRef, .componentId = s.componentId,
                                                 .hostId = s.hostId, .maxInstances = s.count};
          auto outcome = ctl_.scale(command, config_.actionTimeout);
          if (!outcome) return fail(std::move(outcome.error()));
          return Json{{"component_id", s.componentId}, {"host_id", s.hostId}, {"count", s.count},
                      {"message", outcome->acceptedMessage}};
        });
    }
  } else if (path == "/api/migrate") {
    notFound = 0;
    auto migrate = parseMigrate(body);
    if (!migrate) job = fail(std::move(migrate.error()));
    else
      job = Job([this, m = *migrate]() -> Result<Json> {
        auto moved = lattice::migrateComponent(ctl_, {.componentId = m.componentId, .toHost = m.toHost,
                                                      .fromHost = m.fromHost, .timeout = config_.actionTimeout});
        if (!moved) return fail(std::move(moved.error()));
        return Json{{"component_id", m.componentId}, {"to_host", m.toHost}, {"from_host", moved->fromHost},
                    {"instances", moved->instances}, {"orchestrated", moved->orchestrated},
                    {"took_ms", moved->took.count()}};
      });
  } else if (path == "/api/deploy") {
    notFound = 0;
    auto deploy = parseDeploy(body);
    if (!deploy) job = fail(std::move(deploy.error()));
    else
      job = Job([this, d = *deploy]() -> Result<Json> {
        auto put = wadm_.put(d.manifest);
        if (!put) return fail(std::move(put.error()));
        auto deployed = wadm_.deploy(put->name, put->currentVersion);
        if (!deployed) return fail(std::move(deployed.error()));
        return Json{{"name", put->name}, {"version", put->currentVersion}, {"message", deployed->message}};
      });
  } else if (path == "/api/undeploy") {
    notFound = 0;
    auto undeploy = parseUndeploy(body);
    if (!undeploy) job = fail(std::move(undeploy.error()));
    else
      job = Job([this, u = *undeploy]() -> Result<Json> {
        auto done = wadm_.undeploy(u.name);
        if (!done) return fail(std::move(done.error()));
        return Json{{"name", u.name}, {"message", done->message}};
      });
  } else if (path == "/api/drain" || path == "/api/undrain" || path == "/api/stop") {
    notFound = 0;
    auto host = parseHostAction(body);
    if (!host) job = fail(std::move(host.error()));
    else
      job = Job([this, h = *host, path]() -> Result<Json> {
        if (path == "/api/drain") {
          if (auto ok = ctl_.labelPut(h.hostId, {.key = std::string(lattice::kDrainLabel), .value = "true"}); !ok)
            return fail(std::move(ok.error()));
          return Json{{"host_id", h.hostId}, {"message", "draining: the orchestrator moves its components away"}};
        }
        if (path == "/api/undrain") {
          if (auto ok = ctl_.labelDel(h.hostId, lattice::kDrainLabel); !ok) return fail(std::move(ok.error()));
          return Json{{"host_id", h.hostId}, {"message", "takes placements again"}};
        }
        auto stopped = ctl_.stopHost(h.hostId);
        if (!stopped) return fail(std::move(stopped.error()));
        return Json{{"host_id", h.hostId}, {"message", stopped->empty() ? "stopping" : *stopped}};
      });
  }
  if (!job) return responder.respond(jsonError(notFound ? notFound : 400, job.error().message()));
  if (request.method != "POST") return responder.respond(jsonError(405, fmt::format("{} takes POST only", path)));
  runAction(std::move(*job), std::move(responder));
}

void DashboardServer::openStream(http::HttpResponder responder) {
  auto stream = responder.stream({.status = 200, .contentType = "text/event-stream",
                                  .headers = {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}}});
  auto snapshot = monitor_.snapshot();
  // retry: how soon EventSource reconnects after the dashboard restarted.
  if (!stream.send("retry: 1000\n\n" + sseEvent(snapshot))) return;
  std::lock_guard lock(mutex_);
  if (stopping_) return stream.close();
  streams_.push_back({.stream = std::move(stream), .version = snapshot.version});
}

void DashboardServer::runAction(std::function<Result<Json>()> run, http::HttpResponder responder) {
  auto shared = std::make_shared<http::HttpResponder>(std::move(responder));
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return shared->respond(jsonError(503, "the dashboard is stopping"));
    jobs_.push_back([run = std::move(run), shared] {
      auto result = run();
      // 502: the request was fine, the lattice (a host, the orchestrator) refused or failed it.
      shared->respond(result ? jsonResponse(200, *result) : jsonError(502, result.error().message()));
    });
  }
  wake_.notify_all();  // the pusher waits on it too
}

void DashboardServer::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left to answer
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

void DashboardServer::push() {
  auto lastSent = steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, config_.pushEvery, [this] { return stopping_; });
    if (stopping_) break;
    auto version = monitor_.version();
    bool stale = std::ranges::any_of(streams_, [&](const Stream& s) { return s.version < version; });
    bool quiet = steady_clock::now() - lastSent >= config_.keepAlive;
    if (!stale && !quiet) continue;
    lock.unlock();
    // The snapshot is taken without the lock: it takes the monitor's.
    std::optional<Snapshot> snapshot;
    if (stale) snapshot = monitor_.snapshot();
    lock.lock();
    std::erase_if(streams_, [&](Stream& s) {
      bool alive = true;
      if (snapshot && s.version < snapshot->version) {
        alive = s.stream.send(sseEvent(*snapshot));
        s.version = snapshot->version;
      } else if (quiet) {
        alive = s.stream.send(": keep-alive\n\n");
      }
      return !alive;
    });
    lastSent = steady_clock::now();
  }
}

}  // namespace pelato::dashboard
