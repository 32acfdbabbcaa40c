#include "http/http_message.h"

#include <algorithm>
#include <cctype>

namespace pelato::http {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string_view> HttpHeaders::find(std::string_view name) const {
  for (const auto& [n, v] : fields_)
    if (equalsIgnoreCase(n, name)) return std::string_view(v);
  return std::nullopt;
}

HttpResponder& HttpResponder::operator=(HttpResponder&& other) noexcept {
  if (this != &other) {
    if (sink_) sink_->respond(textResponse(500, "the request was not answered\n"));
    sink_ = std::move(other.sink_);
  }
  return *this;
}

HttpResponder::~HttpResponder() {
  if (sink_) sink_->respond(textResponse(500, "the request was not answered\n"));
}

void HttpResponder::respond(HttpResponse response) {
  if (auto sink = std::move(sink_)) sink->respond(std::move(response));
}

HttpStream HttpResponder::stream(HttpResponse head) {
  if (auto sink = std::move(sink_)) return sink->stream(std::move(head));
  return {};
}

HttpResponse textResponse(unsigned status, std::string body) {
  return {.status = status, .contentType = "text/plain; charset=utf-8", .body = std::move(body)};
}

std::pair<std::string, std::string> splitTarget(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {std::string(target), {}};
  return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

}  // namespace pelato::http
