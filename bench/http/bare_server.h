// The baseline of bench_http: the plainest asynchronous Boost.Beast server (after Beast's
// http_server_async example): read a request, write the same fixed body, keep-alive. No
// handler indirection, no threads besides its io threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace pelato::bench {

class BareServer {
 public:
  BareServer(std::string body, unsigned threads);  // listens on 127.0.0.1, an ephemeral port
  ~BareServer();
  uint16_t port() const { return port_; }

 private:
  void accept();

  std::string body_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace pelato::bench
