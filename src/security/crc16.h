// CRC-16/XMODEM (CCITT polynomial 0x1021, initial value 0, not reflected): the checksum NATS
// nkeys append, little-endian, to every encoded key.
#pragma once

#include <cstdint>
#include <span>

namespace pelato::security {

uint16_t crc16Xmodem(std::span<const uint8_t> bytes);

}  // namespace pelato::security
