#include "byte_run.h"

#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace calloutemu::server {
namespace {

constexpr std::uint8_t kValue = 0xDB;

using Scan = bool (*)(const std::uint8_t*, std::size_t, std::uint8_t);

struct NamedScan {
  const char* name;
  Scan scan;
};

// The architecture's choice and the fallback: both must agree with a plain loop.
constexpr std::array<NamedScan, 2> kScans{
    {{"all_bytes_are", &all_bytes_are}, {"all_bytes_are_portable", &all_bytes_are_portable}}};

// Every length up to a few vectors, at several alignments, with the one
// differing byte at every place, and the bytes around the run differing too
// (a scan that reads past either end, or skips a byte, gives it away).
TEST(ByteRunTest, FindsTheOneDifferingByteAtEveryPlace) {
  for (const auto& [name, scan] : kScans) {
    for (std::size_t offset : {0u, 1u, 7u, 31u}) {
      for (std::size_t length = 0; length <= 200; ++length) {
        std::vector<std::uint8_t> buffer(offset + length + 64, 0x00);
        std::uint8_t* run = buffer.data() + offset;
        std::fill(run, run + length, kValue);
        ASSERT_TRUE(scan(run, length, kValue)) << name << " length " << length;
        for (std::size_t at = 0; at < length; ++at) {
          run[at] = kValue ^ 0x01;
          ASSERT_FALSE(scan(run, length, kValue))
              << name << " length " << length << " offset " << offset << " at " << at;
          run[at] = kValue;
        }
      }
    }
  }
}

TEST(ByteRunTest, AWholeReceiveBufferIsCheckedToItsLastByte) {
  for (const auto& [name, scan] : kScans) {
    std::vector<std::uint8_t> buffer(4096, kValue);
    EXPECT_TRUE(scan(buffer.data(), buffer.size(), kValue)) << name;
    for (std::size_t at : {0u, 127u, 128u, 2048u, 4063u, 4064u, 4095u}) {
      buffer[at] = 0;
      EXPECT_FALSE(scan(buffer.data(), buffer.size(), kValue)) << name << " at " << at;
      buffer[at] = kValue;
    }
  }
}

TEST(ByteRunTest, AnyValueCanBeTheOneLookedFor) {
  for (const auto& [name, scan] : kScans) {
    for (unsigned value = 0; value < 256; ++value) {
      std::vector<std::uint8_t> buffer(100, static_cast<std::uint8_t>(value));
      EXPECT_TRUE(scan(buffer.data(), buffer.size(), static_cast<std::uint8_t>(value))) << name;
      EXPECT_FALSE(scan(buffer.data(), buffer.size(), static_cast<std::uint8_t>(value + 1)))
          << name;
    }
  }
}

}  // namespace
}  // namespace calloutemu::server
