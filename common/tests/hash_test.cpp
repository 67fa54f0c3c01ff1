#include "calloutemu/hash.h"

#include <gtest/gtest.h>

#include <bit>
#include <set>
#include <string>

namespace calloutemu {
namespace {

TEST(HashBytesTest, EqualKeysHashEqualWhereverTheyLie) {
  const std::string first = "\x01\x00\x11\x22\x33\x44\x55";
  const std::string copy = "xx" + first;
  EXPECT_EQ(hash_bytes(first), hash_bytes(std::string_view(copy).substr(2)));
}

TEST(HashBytesTest, KeysThatDifferInOneByteOrInLengthDiffer) {
  const std::string id = "\x01\x00\x11\x22\x33\x44\x55\x66\x77";
  std::set<std::uint64_t> seen;
  for (std::size_t length = 0; length <= id.size(); ++length) {
    EXPECT_TRUE(seen.insert(hash_bytes(std::string_view(id).substr(0, length))).second) << length;
  }
  // Trailing zero bytes are not lost in the zero-padded last word.
  EXPECT_NE(hash_bytes(std::string_view("\x01\x00", 2)), hash_bytes(std::string_view("\x01", 1)));
  for (std::size_t at = 0; at < id.size(); ++at) {
    std::string changed = id;
    changed[at] = static_cast<char>(changed[at] ^ 0x80);
    EXPECT_TRUE(seen.insert(hash_bytes(changed)).second) << at;
  }
}

// The lease table takes 32 bits of it as a tag: MAC addresses that differ only in their
// last byte must spread over those bits, not land in a few values.
TEST(HashBytesTest, ConsecutiveMacAddressesSpreadOverTheLowBits) {
  std::set<std::uint32_t> low_bits;
  std::string id(7, '\0');  // hardware type 1, then a MAC address 02:00:00:00:00:NN
  id[0] = 1;
  id[1] = 2;
  for (int i = 0; i < 256; ++i) {
    id[6] = static_cast<char>(i);
    low_bits.insert(static_cast<std::uint32_t>(hash_bytes(id)) & 0xFFF);
  }
  EXPECT_GT(low_bits.size(), 240u);
}

TEST(MixHashTest, EveryInputBitReachesManyOutputBits) {
  for (int bit = 0; bit < 64; ++bit) {
    const auto flipped = mix_hash(0) ^ mix_hash(std::uint64_t{1} << bit);
    EXPECT_GT(std::popcount(flipped), 16) << bit;
  }
}

}  // namespace
}  // namespace calloutemu
