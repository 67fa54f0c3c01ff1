// Bounds checks and big-endian loads for the decoders. The loads do not
// check: every caller has checked `fits` first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace calloutemu::pcap_replay {

using Bytes = std::span<const std::uint8_t>;

// Whether `count` bytes start at `offset`, without overflowing.
inline bool fits(Bytes bytes, std::size_t offset, std::size_t count) {
  return offset <= bytes.size() && count <= bytes.size() - offset;
}

inline std::uint16_t load_be16(Bytes bytes, std::size_t offset) {
  return static_cast<std::uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

inline std::uint32_t load_be32(Bytes bytes, std::size_t offset) {
  return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16) |
         (std::uint32_t{bytes[offset + 2]} << 8) | std::uint32_t{bytes[offset + 3]};
}

}  // namespace calloutemu::pcap_replay
