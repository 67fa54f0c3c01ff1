// DuplicateDetector on its own: the window is exact whatever the generation
// a request was accepted in.
#include "duplicate_detector.h"

#include <gtest/gtest.h>

#include <chrono>

namespace calloutemu::server {
namespace {

using std::chrono::milliseconds;

constexpr auto kWindow = milliseconds(2000);

RequestKey key(std::uint32_t xid, std::uint8_t type = 1) {
  RequestKey result;
  result.transaction.xid = xid;
  result.transaction.hlen = 6;
  result.transaction.chaddr = {
      0x02, 0, 0, 0, static_cast<std::uint8_t>(xid >> 8), static_cast<std::uint8_t>(xid)};
  result.message_type = type;
  return result;
}

TEST(DuplicateDetector, TheSameRequestWithinTheWindowIsADuplicate) {
  DuplicateDetector detector(kWindow);
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(0)));
  EXPECT_TRUE(detector.is_duplicate(key(1), milliseconds(1999)));
}

TEST(DuplicateDetector, AWholeWindowLaterItIsAcceptedAgainAndStartsANewWindow) {
  DuplicateDetector detector(kWindow);
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(0)));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(2000)));
  EXPECT_TRUE(detector.is_duplicate(key(1), milliseconds(3999)));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(4000)));
}

TEST(DuplicateDetector, ADifferentTypeOrTransactionIsNotADuplicate) {
  DuplicateDetector detector(kWindow);
  EXPECT_FALSE(detector.is_duplicate(key(1, 1), milliseconds(0)));
  EXPECT_FALSE(detector.is_duplicate(key(1, 3), milliseconds(10)));
  EXPECT_FALSE(detector.is_duplicate(key(2, 1), milliseconds(20)));
  EXPECT_TRUE(detector.is_duplicate(key(1, 3), milliseconds(30)));
}

TEST(DuplicateDetector, TheWindowHoldsAcrossGenerations) {
  // Accepted late in one generation, repeated early in the next ones.
  DuplicateDetector detector(kWindow);
  EXPECT_FALSE(detector.is_duplicate(key(100), milliseconds(0)));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(1900)));
  EXPECT_FALSE(detector.is_duplicate(key(101), milliseconds(2100)));  // a new generation
  EXPECT_TRUE(detector.is_duplicate(key(1), milliseconds(3800)));
  EXPECT_FALSE(detector.is_duplicate(key(102), milliseconds(4200)));  // and another
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(3900 + 100)));
  EXPECT_TRUE(detector.is_duplicate(key(1), milliseconds(5900)));
}

TEST(DuplicateDetector, AnEarlierCaptureTimeWithinTheWindowIsADuplicate) {
  DuplicateDetector detector(kWindow);
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(5000)));
  EXPECT_TRUE(detector.is_duplicate(key(1), milliseconds(3500)));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(3000)));
}

TEST(DuplicateDetector, AZeroWindowFindsNoDuplicate) {
  DuplicateDetector detector(milliseconds(0));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(0)));
  EXPECT_FALSE(detector.is_duplicate(key(1), milliseconds(0)));
}

TEST(DuplicateDetector, ManyRequestsInOneWindowAreAllRemembered) {
  DuplicateDetector detector(kWindow);
  constexpr std::uint32_t kCount = 50000;
  for (std::uint32_t xid = 1; xid <= kCount; ++xid) {
    ASSERT_FALSE(detector.is_duplicate(key(xid), milliseconds(xid / 100)));
  }
  for (std::uint32_t xid = 1; xid <= kCount; ++xid) {
    ASSERT_TRUE(detector.is_duplicate(key(xid), milliseconds(1000))) << xid;
  }
}

TEST(DuplicateDetector, RequestsAcceptedLongAgoAreAcceptedAgain) {
  DuplicateDetector detector(kWindow);
  for (int round = 0; round < 10; ++round) {
    const auto base = milliseconds(round * 10000);
    for (std::uint32_t xid = 1; xid <= 1000; ++xid) {
      ASSERT_FALSE(detector.is_duplicate(key(xid), base + milliseconds(xid)));
    }
  }
}

}  // namespace
}  // namespace calloutemu::server
