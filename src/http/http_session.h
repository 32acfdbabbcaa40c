// One connection of HttpServer (internal): reads a request, hands it to the handler, writes the
// answer that comes back through the HttpResponder (from any thread, via the connection's
// strand), then reads the next. Also the server state the connections share.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_server.h"

namespace pelato::http {

class Session;

struct HttpServer::Core : std::enable_shared_from_this<HttpServer::Core> {
  HttpServerOptions options;
  HttpHandler handler;
  boost::asio::io_context ioc;
  // Keeps the io threads running while requests are with the handler and no socket is busy.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;  // on its own strand
  std::optional<boost::asio::steady_timer> acceptRetry;    // after accept errors (EMFILE)
  std::vector<std::thread> threads;
  uint16_t port = 0;

  std::mutex mutex;  // guards what follows
  std::condition_variable answered;  // inFlight went down
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  size_t inFlight = 0;    // requests handed to the handler and not yet written back
  bool draining = false;  // stop() began: no new connections, each closes after its answer
  bool closed = false;    // io threads are going away: responders do nothing
  unsigned running = 0;   // io threads still in io_context::run

  void requestDone();
};

class Session : public std::enable_shared_from_this<Session>, public ResponseSink {
 public:
  Session(std::shared_ptr<HttpServer::Core> core, boost::asio::ip::tcp::socket socket);
  ~Session() override;

  void start();
  // From stop(): close now if no request is with the handler (or `force`), else after its answer.
  void shutdown(bool force);

  void respond(HttpResponse response) override;
  HttpStream stream(HttpResponse head) override;

  // For the stream sink (any thread).
  bool sendChunk(std::string chunk);
  void endStream();

 private:
  bool post(std::function<void()> fn);  // onto the strand, unless the server is closed (false)
  void readHeader();
  void onHeader(boost::beast::error_code ec);
  void readBody();
  void onBody(boost::beast::error_code ec);
  void dispatchRequest();
  void answer(HttpResponse response);
  // `counted`: the answer to a request the handler had (Core::inFlight).
  void write(HttpResponse response, bool keepAlive, bool counted);
  void onWrite(boost::beast::error_code ec, bool keepAlive, bool counted);
  void failRead(boost::beast::error_code ec);
  // Half-close, then discard what the client still sends for a moment, so the client reads
  // our answer instead of a reset (e.g. after 413 with the body still coming).
  void lingerClose();
  void discardUntilClosed();
  void close();

  void startStream(HttpResponse head);
  void writeNextChunk();
  void watchForHangup();

  std::shared_ptr<HttpServer::Core> core_;  // first, so it is released last
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  unsigned version_ = 11;   // of the request being answered: 10 or 11
  bool keepAlive_ = false;  // what the request asked for
  bool busy_ = false;       // a request is with the handler (counted in Core::inFlight)
  bool responding_ = false; // its answer is being written
  bool draining_ = false;
  bool lingering_ = false;
  bool closed_ = false;

  // Streamed response: head, then chunks written one at a time, then the last chunk.
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> streamHead_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>> streamSerializer_;
  std::deque<std::string> chunks_;
  bool streaming_ = false, chunked_ = true, writing_ = false, ending_ = false;
  std::atomic<bool> gone_{false};  // the stream's client left or the server stopped
  char scratch_[512];  // reads after the last request: hang-up watch, lingering close
};

}  // namespace pelato::http
