#include "security/crc16.h"

#include <gtest/gtest.h>

#include <string_view>

namespace pelato::security {
namespace {

TEST(Crc16, XmodemCheckValue) {
  // The catalogue check value of CRC-16/XMODEM over "123456789".
  std::string_view text = "123456789";
  EXPECT_EQ(crc16Xmodem(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())), 0x31c3);
  EXPECT_EQ(crc16Xmodem({}), 0);
}

}  // namespace
}  // namespace pelato::security
