#include "http/http_server.h"

#include <exception>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "http/http_session.h"

namespace pelato::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
constexpr auto kThreadExitWait = std::chrono::seconds(2);

void acceptNext(HttpServer::Core* core);

void onAccept(HttpServer::Core* core, beast::error_code ec, tcp::socket socket) {
  if (!core->acceptor->is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of descriptors, typically: wait a little instead of spinning.
    spdlog::warn("http: accepting a connection on port {} failed: {}; retrying", core->port, ec.message());
    core->acceptRetry->expires_after(kAcceptRetry);
    core->acceptRetry->async_wait([core](beast::error_code ec) {
      if (!ec) acceptNext(core);
    });
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  auto session = std::make_shared<Session>(core->shared_from_this(), std::move(socket));
  bool accepted = false;
  {
    std::lock_guard lock(core->mutex);
    if (!core->draining) {
      core->sessions.emplace(session.get(), session);
      accepted = true;
    }
  }
  if (accepted) session->start();
  acceptNext(core);
}

void acceptNext(HttpServer::Core* core) {
  core->acceptor->async_accept(asio::make_strand(core->ioc), [core](beast::error_code ec, tcp::socket socket) {
    onAccept(core, ec, std::move(socket));
  });
}

void runIo(HttpServer::Core* core) {
  for (;;) {
    try {
      core->ioc.run();
      break;
    } catch (const std::exception& e) {
      spdlog::error("http: an io thread caught {}; it keeps serving", e.what());
    } catch (...) {
      spdlog::error("http: an io thread caught a non-exception; it keeps serving");
    }
  }
  std::lock_guard lock(core->mutex);
  --core->running;
  core->answered.notify_all();
}

std::vector<std::shared_ptr<Session>> liveSessions(HttpServer::Core& core) {
  std::vector<std::shared_ptr<Session>> out;
  for (auto& [_, weak] : core.sessions)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options, HttpHandler handler) {
  if (!handler) return fail("http server: no request handler given");
  beast::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec)
    return fail("http server: \"{}\" is not an IP address; give a numeric one such as 127.0.0.1 or 0.0.0.0",
                options.address);

  auto core = std::make_shared<Core>();
  core->options = options;
  core->options.threads = std::max(1u, options.threads);
  core->handler = std::move(handler);
  core->acceptor.emplace(asio::make_strand(core->ioc));
  core->acceptRetry.emplace(core->acceptor->get_executor());
  auto& acceptor = *core->acceptor;
  tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (ec == asio::error::address_in_use)
    return fail("http server: port {} on {} is already in use; stop what listens there or choose another port",
                options.port, options.address);
  if (ec == asio::error::access_denied)
    return fail("http server: binding port {} on {} is not permitted; use a port above 1023", options.port,
                options.address);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("http server: cannot listen on {} port {}: {}", options.address, options.port, ec.message());
  core->port = acceptor.local_endpoint(ec).port();

  core->work.emplace(core->ioc.get_executor());
  acceptNext(core.get());
  core->running = core->options.threads;
  for (unsigned i = 0; i < core->options.threads; ++i) core->threads.emplace_back(runIo, core.get());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(core)));
}

HttpServer::~HttpServer() { stop(); }

uint16_t HttpServer::port() const { return core_->port; }

void HttpServer::stop() {
  Core& core = *core_;
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(core.mutex);
    if (core.draining) return;
    core.draining = true;
    live = liveSessions(core);
  }
  asio::post(core.acceptor->get_executor(), [&core] {
    beast::error_code ec;
    core.acceptor->close(ec);
    core.acceptRetry->cancel();
  });
  for (auto& session : live) session->shutdown(false);
  live.clear();  // outside the lock: the last reference may go here and a Session locks on destruction

  {
    std::unique_lock lock(core.mutex);
    core.answered.wait_for(lock, core.options.stopGrace, [&] { return core.inFlight == 0; });
    live = liveSessions(core);
  }
  for (auto& session : live) session->shutdown(true);
  live.clear();
  {
    std::unique_lock lock(core.mutex);
    core.closed = true;  // after the last posts above: Session::post checks it
    core.work.reset();
    // With every socket closed, run() returns by itself once the aborted operations completed.
    if (!core.answered.wait_for(lock, kThreadExitWait, [&] { return core.running == 0; })) core.ioc.stop();
  }
  for (auto& thread : core.threads) thread.join();
  core.threads.clear();
  // Handlers still queued hold sessions, which hold Core: run them down so nothing keeps it alive.
  core.ioc.restart();
  try {
    core.ioc.poll();
  } catch (...) {
  }
}

}  // namespace pelato::http
