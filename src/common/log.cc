#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

namespace pelato {
namespace {

// RFC 3339 in UTC with microseconds.
std::string utcTime(std::chrono::system_clock::time_point time) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, us % 1'000'000);
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::json line{
        {"time", utcTime(msg.time)},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"thread", msg.thread_id},
        {"msg", std::string(msg.payload.data(), msg.payload.size())}};
    // Replace invalid UTF-8 rather than throw: a log line must never take the process down.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> jsonLogFormatter() { return std::make_unique<JsonFormatter>(); }

void setupLogging(std::string_view level, LogFormat format) {
  spdlog::drop("pelato");  // set up again (tests run the CLI more than once per process)
  auto logger = spdlog::stderr_color_mt("pelato");
  if (format == LogFormat::Json) logger->set_formatter(jsonLogFormatter());
  else logger->set_pattern("%^%L%$ %H:%M:%S.%e %v");
  auto parsed = spdlog::level::from_str(std::string(level));
  logger->set_level(parsed == spdlog::level::off && level != "off" ? spdlog::level::info : parsed);
  spdlog::set_default_logger(logger);
}

}  // namespace pelato
