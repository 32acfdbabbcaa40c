#include "http/bare_server.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace pelato::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const std::string& body) : stream_(std::move(socket)), body_(body) {}
  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_read(stream_, buffer_, request_,
                      [self = shared_from_this()](beast::error_code ec, size_t) { self->onRead(ec); });
  }
  void onRead(beast::error_code ec) {
    if (ec) return close();
    response_ = {bhttp::status::ok, request_.version()};
    response_.set(bhttp::field::server, "bare");
    response_.set(bhttp::field::content_type, "application/octet-stream");
    response_.body() = body_;
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this()](beast::error_code ec, size_t) { self->onWrite(ec); });
  }
  void onWrite(beast::error_code ec) {
    if (ec || !response_.keep_alive()) return close();
    read();
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
  const std::string& body_;
};

}  // namespace

BareServer::BareServer(std::string body, unsigned threads)
    : body_(std::move(body)), acceptor_(asio::make_strand(ioc_)) {
  beast::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "bench_http: the bare server cannot listen: %s\n", ec.message().c_str());
    std::abort();
  }
  port_ = acceptor_.local_endpoint().port();
  accept();
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

BareServer::~BareServer() {
  ioc_.stop();
  for (auto& t : threads_) t.join();
}

void BareServer::accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), body_)->run();
    }
    if (acceptor_.is_open()) accept();
  });
}

}  // namespace pelato::bench
