// Hashes for the server's hot tables: cheaper than std::hash on the short
// keys they hold (client ids are usually 7 bytes), and equally spread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace calloutemu {

// Mixes all 64 bits of `value` into all 64 bits of the result (splitmix64's
// finalizer).
inline std::uint64_t mix_hash(std::uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

// The bytes eight at a time, over the length, so that keys that differ in
// length or in any byte differ in hash as mix_hash spreads them. Fixed-size
// loads only (a short key is read as two overlapping halves), so that no
// library call is made for the usual 7-byte client id.
inline std::uint64_t hash_bytes(std::string_view bytes) {
  const char* data = bytes.data();
  const std::size_t size = bytes.size();
  std::uint64_t hash = size * 0x9E3779B97F4A7C15ULL;
  if (size >= 8) {
    std::size_t at = 0;
    for (; at + 8 <= size; at += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, data + at, 8);
      hash = mix_hash(hash ^ word);
    }
    if (at < size) {
      std::uint64_t last = 0;  // the last 8 bytes, overlapping the word before
      std::memcpy(&last, data + size - 8, 8);
      hash = mix_hash(hash ^ last);
    }
    return hash;
  }
  std::uint64_t word = 0;
  if (size >= 4) {
    std::uint32_t low = 0;
    std::uint32_t high = 0;
    std::memcpy(&low, data, 4);
    std::memcpy(&high, data + size - 4, 4);
    word = low | (std::uint64_t{high} << 32);
  } else if (size > 0) {
    word = static_cast<std::uint8_t>(data[0]) |
           (std::uint64_t{static_cast<std::uint8_t>(data[size / 2])} << 8) |
           (std::uint64_t{static_cast<std::uint8_t>(data[size - 1])} << 16);
  }
  return mix_hash(hash ^ word);
}

}  // namespace calloutemu
