#include "byte_run.h"

#include <algorithm>
#include <cstring>

namespace calloutemu::server {

// Past its first kStride bytes, the run is compared with itself kStride bytes
// on (the library's memcmp is the fastest loop plain C++ has), so the bytes
// are read from one buffer only.
bool all_bytes_are_portable(const std::uint8_t* bytes, std::size_t length, std::uint8_t value) {
  constexpr std::size_t kStride = 64;
  if (length < kStride) {
    return std::all_of(bytes, bytes + length, [value](std::uint8_t byte) { return byte == value; });
  }
  const std::uint64_t expected = 0x0101010101010101ull * value;
  std::uint64_t differs = 0;
  for (std::size_t at = 0; at < kStride; at += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, bytes + at, sizeof word);
    differs |= word ^ expected;
  }
  return differs == 0 && std::memcmp(bytes, bytes + kStride, length - kStride) == 0;
}

}  // namespace calloutemu::server
