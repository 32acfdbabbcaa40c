#include "common/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pelato {
namespace {

std::string formatted(std::string_view payload, spdlog::level::level_enum level) {
  spdlog::details::log_msg msg("pelato", level, payload);
  spdlog::memory_buf_t out;
  jsonLogFormatter()->format(msg, out);
  return std::string(out.data(), out.size());
}

TEST(JsonLog, OneValidObjectPerLine) {
  std::string line = formatted("component \"x\" trapped:\n  unreachable", spdlog::level::warn);
  ASSERT_TRUE(line.ends_with("\n"));
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // the payload's newline is escaped
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["level"], "warning");
  EXPECT_EQ(json["msg"], "component \"x\" trapped:\n  unreachable");
  EXPECT_TRUE(json["time"].get<std::string>().ends_with("Z"));
  EXPECT_TRUE(json["thread"].is_number());
}

TEST(JsonLog, InvalidUtf8IsReplacedNotThrown) {
  auto json = nlohmann::json::parse(formatted("bad \xff byte", spdlog::level::err));
  EXPECT_EQ(json["level"], "error");
  EXPECT_NE(json["msg"].get<std::string>().find("bad"), std::string::npos);
}

}  // namespace
}  // namespace pelato
