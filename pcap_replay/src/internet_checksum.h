// The Internet checksum (RFC 1071): one's complement of the one's complement sum.
#pragma once

#include <cstdint>

#include "bytes.h"

namespace calloutemu::pcap_replay {

class InternetChecksum {
 public:
  // Adds bytes as big-endian 16-bit words; an odd last byte is padded with a
  // zero. Only the last call may have an odd length.
  void add(Bytes bytes);
  void add16(std::uint16_t word) { sum_ += word; }
  void add32(std::uint32_t value) {
    add16(static_cast<std::uint16_t>(value >> 16));
    add16(static_cast<std::uint16_t>(value & 0xffffu));
  }
  std::uint16_t finish() const;

 private:
  std::uint64_t sum_ = 0;
};

}  // namespace calloutemu::pcap_replay
