// Errors are values: every fallible call returns Result<T>, an std::expected whose error says
// what was wrong and, where it can, what to do about it.
#pragma once

#include <expected>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace pelato {

class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}

  const std::string& message() const { return message_; }

  // Prefixes where the error happened ("loading foo.wasm: ..."), outermost first.
  Error&& context(std::string_view where) && {
    message_ = fmt::format("{}: {}", where, message_);
    return std::move(*this);
  }

 private:
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;

// `return fail("no such export {}", name);`
template <typename... Args>
std::unexpected<Error> fail(fmt::format_string<Args...> format, Args&&... args) {
  return std::unexpected(Error(fmt::format(format, std::forward<Args>(args)...)));
}

inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

}  // namespace pelato
