#include "pipeline/env_file.h"

#include <gtest/gtest.h>

namespace pelato::pipeline {
namespace {

std::vector<EnvEntry> parsed(std::string_view text) {
  auto e = parseEnvFile(text, ".env");
  EXPECT_TRUE(e) << e.error().message();
  return e.value_or(std::vector<EnvEntry>{});
}

std::string errorFor(std::string_view text) {
  auto e = parseEnvFile(text, "proj/.env");
  EXPECT_FALSE(e);
  return e ? std::string() : e.error().message();
}

TEST(EnvFile, ThesisTemplate) {
  auto entries = parsed(R"(REGISTRY_URL=
REGISTRY_USER=
REGISTRY_PASSWORD=
PARALLEL_BUILD=True
NATS_HOST=localhost
NATS_PORT=4222
ENABLE_METRICS=True
)");
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0], (EnvEntry{.key = "REGISTRY_URL", .value = "", .line = 1}));
  EXPECT_EQ(entries[4], (EnvEntry{.key = "NATS_HOST", .value = "localhost", .line = 5}));
}

TEST(EnvFile, CommentsQuotesExportAndSpaces) {
  auto entries = parsed(
      "\xEF\xBB\xBF# settings\r\n"
      "\n"
      "  export NATS_HOST = nats.local   # the broker\n"
      "REGISTRY_PASSWORD='p#ss \"w\" $x'\n"
      "REGISTRY_USER=\"me \\\"you\\\"\\n\\q\"  # comment\n"
      "A=x#y\n"
      "B= # only a comment\n"
      "C=#x\n"
      "exported=1\n");
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0], (EnvEntry{.key = "NATS_HOST", .value = "nats.local", .line = 3}));
  EXPECT_EQ(entries[1].value, "p#ss \"w\" $x");
  EXPECT_EQ(entries[2].value, "me \"you\"\n\\q");
  EXPECT_EQ(entries[3].value, "x#y");
  EXPECT_EQ(entries[4].value, "");
  EXPECT_EQ(entries[5].value, "#x");
  EXPECT_EQ(entries[6].key, "exported");
}

TEST(EnvFile, ErrorsNameFileAndLine) {
  EXPECT_EQ(errorFor("A=1\nNATS_HOST\n"),
            "proj/.env:2: expected KEY=VALUE (or a # comment); got \"NATS_HOST\"");
  EXPECT_EQ(errorFor("1A=x\n"),
            "proj/.env:1: \"1A\" is not a variable name: use letters, digits and '_', not "
            "starting with a digit (e.g. NATS_HOST)");
  EXPECT_EQ(errorFor("NATS HOST=x\n"),
            "proj/.env:1: \"NATS HOST\" is not a variable name: use letters, digits and '_', not "
            "starting with a digit (e.g. NATS_HOST)");
  EXPECT_EQ(errorFor("\n\nP=\"abc\n"),
            "proj/.env:3: P: the value's \" quote is not closed (values are one line long)");
  EXPECT_EQ(errorFor("P='abc\n"),
            "proj/.env:1: P: the value's ' quote is not closed (values are one line long)");
  EXPECT_EQ(errorFor("P='a' b\n"),
            "proj/.env:1: P: unexpected text after the closing quote; quote the whole value");
  EXPECT_EQ(errorFor(std::string_view("P=a\0b\n", 6)),
            "proj/.env:1: contains a NUL byte; is this a text file?");
}

}  // namespace
}  // namespace pelato::pipeline
