// The dashboard's web server on pelato's HTTP stack (src/http): the page and its modules (no
// token needed), GET /healthz, and the token-guarded API: GET /api/state (the view as JSON),
// GET /api/stream (Server-Sent Events: the view at connect, then whenever it changed, checked
// every `pushEvery`) and the POST actions (scale, migrate, deploy, undeploy, drain, undrain,
// stop). docs/PROTOCOL.md, "Dashboard HTTP API", has the contract.
//
// Actions may take seconds (a scale waits for component_scaled, a migration for the move), and
// handlers must not block an io thread, so they run on a few worker threads of their own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dashboard/lattice_monitor.h"
#include "dashboard/static_assets.h"
#include "http/http_server.h"
#include "lattice/ctl_client.h"
#include "lattice/wadm_client.h"

namespace pelato::dashboard {

struct DashboardConfig {
  std::string address = "127.0.0.1";
  uint16_t port = 4000;  // 0: any free port (see DashboardServer::port())
  std::string token;     // required by every /api/* request; must not be empty
  std::chrono::milliseconds pushEvery{200};        // how often streams are checked for news
  std::chrono::milliseconds keepAlive{15'000};     // an SSE comment when nothing changed this long
  std::chrono::milliseconds actionTimeout{30'000};  // a scale's or migration's wait
  unsigned workers = 4;                             // concurrent actions
};

class DashboardServer {
 public:
  // Listens and starts pushing. `monitor`, `ctl` and `wadm` must outlive the server.
  static Result<std::unique_ptr<DashboardServer>> start(DashboardConfig config, StaticAssets assets,
                                                        LatticeMonitor& monitor, lattice::CtlClient& ctl,
                                                        lattice::WadmClient& wadm);
  ~DashboardServer();  // stop()
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  uint16_t port() const;
  // Closes the streams, stops listening, finishes running actions and joins. Idempotent.
  void stop();

 private:
  DashboardServer(DashboardConfig config, StaticAssets assets, LatticeMonitor& monitor, lattice::CtlClient& ctl,
                  lattice::WadmClient& wadm);
  void handle(http::HttpRequest request, http::HttpResponder responder);
  void openStream(http::HttpResponder responder);
  // Runs `run` on a worker; its Json (or error) is the answer.
  void runAction(std::function<Result<lattice::Json>()> run, http::HttpResponder responder);
  void push();
  void work();

  DashboardConfig config_;
  StaticAssets assets_;
  LatticeMonitor& monitor_;
  lattice::CtlClient& ctl_;
  lattice::WadmClient& wadm_;
  std::unique_ptr<http::HttpServer> http_;

  struct Stream {
    http::HttpStream stream;
    uint64_t version = 0;  // the last version it got
  };
  std::mutex mutex_;
  std::condition_variable wake_;  // jobs queued, or stopping
  bool stopping_ = false;
  std::vector<Stream> streams_;
  std::deque<std::function<void()>> jobs_;
  std::thread pusher_;
  std::vector<std::thread> workers_;
};

}  // namespace pelato::dashboard
