#include "security/crc16.h"

namespace pelato::security {

// Bitwise rather than table-driven: keys are 35 bytes, speed does not matter.
uint16_t crc16Xmodem(std::span<const uint8_t> bytes) {
  uint16_t crc = 0;
  for (uint8_t b : bytes) {
    crc ^= uint16_t(b) << 8;
    for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? uint16_t((crc << 1) ^ 0x1021) : uint16_t(crc << 1);
  }
  return crc;
}

}  // namespace pelato::security
