// A small blocking HTTP client on one libcurl easy handle: what the registry client needs and
// no more. Not thread-safe: one per thread (connections are reused between its requests).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace pelato::oci {

struct HttpClientOptions {
  std::chrono::milliseconds connectTimeout{10000};
  // A whole request, including the transfer of its body; large blobs need a generous one.
  std::chrono::milliseconds requestTimeout{300000};
  // A transfer slower than 1 byte/s for this long is abandoned (a stalled server).
  std::chrono::seconds stallTimeout{30};
  std::string userAgent;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PUT, PATCH, DELETE
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::span<const uint8_t> body;     // sent for POST/PUT/PATCH (Content-Length set)
  uint64_t maxResponseBytes = 1 << 20;  // a longer body aborts the transfer: no memory bombs
  bool followRedirects = false;         // GET of blobs may be redirected to storage
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; last one wins
  std::vector<uint8_t> body;
  std::string effectiveUrl;  // after redirects

  std::string header(const std::string& lowercaseName) const {
    auto it = headers.find(lowercaseName);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string_view text() const { return {reinterpret_cast<const char*>(body.data()), body.size()}; }
};

class HttpClient {
 public:
  static Result<HttpClient> create(HttpClientOptions options = {});
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  // Fails on transport errors (connection refused, timeout, body over the limit); any HTTP status
  // is a response.
  Result<HttpResponse> send(const HttpRequest& request);

 private:
  struct Handle;
  HttpClient(HttpClientOptions options, std::unique_ptr<Handle> handle);
  HttpClientOptions options_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace pelato::oci
