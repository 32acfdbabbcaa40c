#include "cli/build_progress.h"

#include <gtest/gtest.h>

namespace pelato::cli {
namespace {

using Kind = pipeline::BuildEvent::Kind;
using namespace std::chrono_literals;

TEST(BuildProgress, PlainLinesWhenNotATerminal) {
  BuildProgress p(2, false);
  EXPECT_EQ(p.onEvent({.kind = Kind::Started, .component = "a"}), "  compiling a\n");
  EXPECT_EQ(p.onEvent({.kind = Kind::Cached, .component = "b"}), "  b unchanged (cached)\n");
  EXPECT_EQ(p.onEvent({.kind = Kind::Built, .component = "a", .time = 1.25s}), "  built a in 1.2 s\n");
  EXPECT_EQ(p.finish(), "");
}

TEST(BuildProgress, OneStatusLineRedrawnOnATerminal) {
  BuildProgress p(3, true);
  EXPECT_EQ(p.onEvent({.kind = Kind::Started, .component = "a"}), "\r\033[K[0/3] compiling a");
  EXPECT_EQ(p.onEvent({.kind = Kind::Started, .component = "b"}), "\r\033[K[0/3] compiling a, b");
  EXPECT_EQ(p.onEvent({.kind = Kind::Failed, .component = "a", .time = 2s}),
            "\r\033[K  FAILED a after 2.0 s\n[1/3] compiling b");
  EXPECT_EQ(p.onEvent({.kind = Kind::Built, .component = "b", .time = 3s}), "\r\033[K  built b in 3.0 s\n[2/3]");
  EXPECT_EQ(p.finish(), "\r\033[K");
}

}  // namespace
}  // namespace pelato::cli
