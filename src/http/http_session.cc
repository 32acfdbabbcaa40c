#include "http/http_session.h"

#include <exception>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

namespace pelato::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kLinger = std::chrono::seconds(1);

bool isParseError(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream;
}

bool iequals(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

}  // namespace

void HttpServer::Core::requestDone() {
  std::lock_guard lock(mutex);
  --inFlight;
  if (draining && inFlight == 0) answered.notify_all();
}

Session::Session(std::shared_ptr<HttpServer::Core> core, tcp::socket socket)
    : core_(std::move(core)), stream_(std::move(socket)) {}

Session::~Session() {
  std::lock_guard lock(core_->mutex);
  core_->sessions.erase(this);
}

bool Session::post(std::function<void()> fn) {
  std::lock_guard lock(core_->mutex);
  if (core_->closed) return false;
  asio::post(stream_.get_executor(), std::move(fn));
  return true;
}

void Session::start() {
  post([self = shared_from_this()] { self->readHeader(); });
}

void Session::shutdown(bool force) {
  post([self = shared_from_this(), force] {
    self->draining_ = true;
    if (force || self->streaming_ || (!self->busy_ && !self->responding_)) self->close();
  });
}

// ---- requests

void Session::readHeader() {
  if (closed_) return;
  parser_.emplace();
  parser_->body_limit(core_->options.bodyLimit);
  stream_.expires_after(core_->options.readTimeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, size_t) { self->onHeader(ec); });
}

void Session::onHeader(beast::error_code ec) {
  if (ec) return failRead(ec);
  if (auto length = parser_->content_length(); length && *length > core_->options.bodyLimit) {
    version_ = parser_->get().version();
    return write(textResponse(413, fmt::format("the body is larger than the limit of {} bytes\n",
                                               core_->options.bodyLimit)),
                 false, false);
  }
  // Small bodies usually arrived with the header: parse them here rather than in another
  // asynchronous round (a post through the scheduler per request).
  while (!parser_->is_done() && buffer_.size() > 0) {
    size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) break;
    if (ec) return failRead(ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return dispatchRequest();
  if (iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
    asio::async_write(stream_, asio::buffer(kContinue), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->readBody();
    });
    return;
  }
  readBody();
}

void Session::readBody() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, size_t) { self->onBody(ec); });
}

void Session::onBody(beast::error_code ec) {
  if (ec) return failRead(ec);
  dispatchRequest();
}

void Session::failRead(beast::error_code ec) {
  if (closed_) return;
  if (ec == bhttp::error::end_of_stream) return lingerClose();  // the client closed between requests
  if (parser_) version_ = parser_->get().version() ? parser_->get().version() : 11;
  if (ec == bhttp::error::body_limit)
    return write(textResponse(413, fmt::format("the body is larger than the limit of {} bytes\n",
                                               core_->options.bodyLimit)),
                 false, false);
  if (ec == bhttp::error::header_limit)
    return write(textResponse(431, "the request header is too large\n"), false, false);
  if (isParseError(ec))
    return write(textResponse(400, fmt::format("malformed HTTP request: {}\n", ec.message())), false, false);
  close();  // timeout, reset, or the client left mid-request: nobody to answer
}

void Session::dispatchRequest() {
  auto message = parser_->release();
  parser_.reset();
  version_ = message.version();
  keepAlive_ = message.keep_alive();

  HttpRequest request{.method = std::string(message.method_string()), .target = std::string(message.target())};
  std::tie(request.path, request.query) = splitTarget(request.target);
  for (const auto& field : message) request.headers.add(std::string(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());

  busy_ = true;
  {
    std::lock_guard lock(core_->mutex);
    ++core_->inFlight;
  }
  stream_.expires_never();  // the handler takes as long as it takes; the client may wait
  try {
    core_->handler(std::move(request), HttpResponder(shared_from_this()));
  } catch (const std::exception& e) {
    spdlog::error("http: the request handler threw: {}", e.what());
  } catch (...) {
    spdlog::error("http: the request handler threw a non-exception");
  }
}

// ---- responses

void Session::respond(HttpResponse response) {
  post([self = shared_from_this(), response = std::move(response)]() mutable { self->answer(std::move(response)); });
}

void Session::answer(HttpResponse response) {
  if (!busy_) return;
  busy_ = false;
  if (closed_) return core_->requestDone();
  write(std::move(response), keepAlive_ && !draining_, true);
}

void Session::write(HttpResponse r, bool keepAlive, bool counted) {
  response_ = {};
  response_.version(version_ == 10 ? 10 : 11);
  response_.result(r.status >= 100 && r.status <= 599 ? r.status : 500);
  response_.set(bhttp::field::server, "pelato");
  response_.set(bhttp::field::content_type, r.contentType);
  for (auto& [name, value] : r.headers) response_.insert(name, value);
  response_.body() = std::move(r.body);
  response_.keep_alive(keepAlive);
  response_.prepare_payload();
  responding_ = counted;
  stream_.expires_after(core_->options.writeTimeout);
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this(), keepAlive, counted](beast::error_code ec, size_t) {
                       self->onWrite(ec, keepAlive, counted);
                     });
}

void Session::onWrite(beast::error_code ec, bool keepAlive, bool counted) {
  responding_ = false;
  if (counted) core_->requestDone();
  if (ec) return close();
  if (!keepAlive || draining_) return lingerClose();
  readHeader();  // a pipelined request may already be in buffer_
}

void Session::lingerClose() {
  if (closed_ || lingering_) return;
  lingering_ = true;
  beast::error_code ec;
  stream_.socket().cancel(ec);  // an event stream's hang-up watch; discardUntilClosed reads instead
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLinger);
  discardUntilClosed();
}

void Session::discardUntilClosed() {
  stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec || self->closed_) return self->close();
    self->discardUntilClosed();
  });
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  gone_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
}

// ---- streamed responses

namespace {

class StreamSink : public HttpStream::Sink {
 public:
  explicit StreamSink(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  ~StreamSink() override { session_->endStream(); }
  bool send(std::string chunk) override { return session_->sendChunk(std::move(chunk)); }
  void close() override { session_->endStream(); }

 private:
  std::shared_ptr<Session> session_;
};

}  // namespace

HttpStream Session::stream(HttpResponse head) {
  post([self = shared_from_this(), head = std::move(head)]() mutable { self->startStream(std::move(head)); });
  return HttpStream(std::make_shared<StreamSink>(shared_from_this()));
}

void Session::startStream(HttpResponse head) {
  if (!busy_) return;
  busy_ = false;
  core_->requestDone();  // a stream lasts until the client goes: it does not hold up stop()
  if (closed_ || draining_) return close();
  streaming_ = true;
  chunked_ = version_ != 10;  // HTTP/1.0 has no chunked encoding: the close ends the body
  streamHead_.emplace(static_cast<bhttp::status>(head.status >= 100 && head.status <= 599 ? head.status : 500),
                      version_ == 10 ? 10 : 11);
  streamHead_->set(bhttp::field::server, "pelato");
  streamHead_->set(bhttp::field::content_type, head.contentType);
  streamHead_->set(bhttp::field::cache_control, "no-cache");
  for (auto& [name, value] : head.headers) streamHead_->insert(name, value);
  streamHead_->keep_alive(false);
  if (chunked_) streamHead_->chunked(true);
  streamSerializer_.emplace(*streamHead_);
  writing_ = true;
  stream_.expires_after(core_->options.writeTimeout);
  bhttp::async_write_header(stream_, *streamSerializer_, [self = shared_from_this()](beast::error_code ec, size_t) {
    self->writing_ = false;
    self->stream_.expires_never();
    if (ec) return self->close();
    self->watchForHangup();
    self->writeNextChunk();
  });
}

bool Session::sendChunk(std::string chunk) {
  if (gone_) return false;
  if (chunk.empty()) return true;  // an empty chunk would end the body
  return post([self = shared_from_this(), chunk = std::move(chunk)]() mutable {
    if (self->closed_ || self->ending_) return;
    self->chunks_.push_back(std::move(chunk));
    self->writeNextChunk();
  });
}

void Session::endStream() {
  post([self = shared_from_this()] {
    self->ending_ = true;
    self->writeNextChunk();
  });
}

void Session::writeNextChunk() {
  if (!streaming_ || writing_ || closed_) return;
  auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
    self->writing_ = false;
    self->stream_.expires_never();
    if (ec) return self->close();
    if (!self->chunks_.empty()) self->chunks_.pop_front();
    self->writeNextChunk();
  };
  if (chunks_.empty()) {
    if (!ending_) return;
    streaming_ = false;
    if (!chunked_) return lingerClose();
    writing_ = true;
    stream_.expires_after(core_->options.writeTimeout);
    asio::async_write(stream_, bhttp::make_chunk_last(), [self = shared_from_this()](beast::error_code, size_t) {
      self->writing_ = false;
      self->lingerClose();
    });
    return;
  }
  writing_ = true;
  stream_.expires_after(core_->options.writeTimeout);
  if (chunked_)
    asio::async_write(stream_, bhttp::make_chunk(asio::buffer(chunks_.front())), std::move(done));
  else
    asio::async_write(stream_, asio::buffer(chunks_.front()), std::move(done));
}

void Session::watchForHangup() {
  // Raw socket read: the stream's timer must not close an idle event stream.
  stream_.socket().async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (self->closed_ || self->lingering_) return;
    if (ec) return self->close();
    self->watchForHangup();  // whatever the client sends on an event stream is ignored
  });
}

}  // namespace pelato::http
