#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace pelato {

void setupLogging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("pelato");
  logger->set_pattern("%^%L%$ %H:%M:%S.%e %v");
  auto parsed = spdlog::level::from_str(std::string(level));
  logger->set_level(parsed == spdlog::level::off && level != "off" ? spdlog::level::info : parsed);
  spdlog::set_default_logger(logger);
}

}  // namespace pelato
