#include "address_bitmap.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace calloutemu::scopes {
namespace {

TEST(AddressBitmap, StartsFullAndFindsNothing) {
  AddressBitmap bitmap(1000);
  EXPECT_EQ(bitmap.size(), 1000u);
  EXPECT_TRUE(bitmap.test(999));
  EXPECT_EQ(bitmap.find_clear(0), std::nullopt);
  EXPECT_EQ(AddressBitmap().find_clear(0), std::nullopt);
}

TEST(AddressBitmap, FindsTheLowestClearBitAtOrAfterAPosition) {
  AddressBitmap bitmap(200000);
  bitmap.reset(5);
  bitmap.reset(70);
  bitmap.reset(199999);
  EXPECT_EQ(bitmap.find_clear(0), 5u);
  EXPECT_EQ(bitmap.find_clear(5), 5u);
  EXPECT_EQ(bitmap.find_clear(6), 70u);
  EXPECT_EQ(bitmap.find_clear(71), 199999u);
  EXPECT_EQ(bitmap.find_clear(200000), std::nullopt);
  bitmap.set(199999);
  EXPECT_EQ(bitmap.find_clear(71), std::nullopt) << "padding past the end is never found";
}

TEST(AddressBitmap, ResetsRangesAcrossWords) {
  AddressBitmap bitmap(300);
  bitmap.reset_range(60, 200);
  EXPECT_TRUE(bitmap.test(59));
  EXPECT_FALSE(bitmap.test(60));
  EXPECT_FALSE(bitmap.test(128));
  EXPECT_FALSE(bitmap.test(200));
  EXPECT_TRUE(bitmap.test(201));
  EXPECT_EQ(bitmap.find_clear(0), 60u);
  EXPECT_EQ(bitmap.find_clear(201), std::nullopt);
}

// Against a std::set of clear bits, over a size with three summary levels.
TEST(AddressBitmap, AgreesWithASetUnderRandomChanges) {
  constexpr std::uint32_t kSize = 64 * 64 * 64 + 77;
  AddressBitmap bitmap(kSize);
  std::set<std::uint32_t> clear;
  std::mt19937 random(7);
  std::uniform_int_distribution<std::uint32_t> any(0, kSize - 1);
  for (int step = 0; step < 20000; ++step) {
    const auto index = any(random);
    if (step % 3 == 0) {
      bitmap.set(index);
      clear.erase(index);
    } else {
      bitmap.reset(index);
      clear.insert(index);
    }
    const auto from = any(random);
    const auto expected = clear.lower_bound(from);
    const auto found = bitmap.find_clear(from);
    if (expected == clear.end()) {
      ASSERT_EQ(found, std::nullopt) << "step " << step;
    } else {
      ASSERT_EQ(found, *expected) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace calloutemu::scopes
