// Bounds checks for the decoders: every load (calloutemu/byte_order.h)
// comes after `fits`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "calloutemu/byte_order.h"

namespace calloutemu::pcap_replay {

using Bytes = std::span<const std::uint8_t>;

// Whether `count` bytes start at `offset`, without overflowing.
inline bool fits(Bytes bytes, std::size_t offset, std::size_t count) {
  return offset <= bytes.size() && count <= bytes.size() - offset;
}

}  // namespace calloutemu::pcap_replay
