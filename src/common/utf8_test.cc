#include "common/utf8.h"

#include <gtest/gtest.h>

namespace pelato {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(validUtf8(""));
  EXPECT_TRUE(validUtf8("plain ascii"));
  EXPECT_TRUE(validUtf8("temperatura in °C, città, 温度, 🌡"));
}

TEST(Utf8, RefusesMalformedBytes) {
  EXPECT_FALSE(validUtf8("\xff"));
  EXPECT_FALSE(validUtf8("\xc3"));              // cut short
  EXPECT_FALSE(validUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(validUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(validUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

}  // namespace
}  // namespace pelato
