// DuplicateDetector on its own: the window is exact whatever the generation
// a request was accepted in.
#include "duplicate_detector.h"

#include <gtest/gtest.h>

#include <chrono>

#include "calloutemu/dhcp/message.h"
#include "packet_maker.h"

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

// The key takes each of options 53, 50 and 54 from its first occurrence; 50
// and 54 count only when 4 bytes long.
TEST(RequestKeyOf, EachOptionFromItsFirstOccurrence) {
  const auto bytes = dhcp::testing::PacketMaker()
                         .xid(0x01020304)
                         .chaddr({0x02, 0, 0, 0, 0, 9})
                         .option(54, {192, 0, 2, 1})
                         .option(50, {198, 51, 100})
                         .option(53, {3})
                         .option(50, {198, 51, 100, 7})
                         .option(54, {192, 0, 2, 2})
                         .option(53, {1})
                         .end()
                         .bytes();
  const auto message = dhcp::parse_message(bytes);
  ASSERT_TRUE(message);
  const RequestKey made = request_key(*message);
  EXPECT_EQ(made.transaction.xid, 0x01020304u);
  EXPECT_EQ(made.transaction.hlen, 6);
  EXPECT_EQ(made.transaction.chaddr[5], 9);
  EXPECT_EQ(made.message_type, 3);
  EXPECT_EQ(made.requested_address, 0u);  // the first 50 is 3 bytes long
  EXPECT_EQ(made.server_identifier, 0xC0000201u);
}

TEST(RequestKeyOf, AbsentOptionsLeaveZeros) {
  const auto bytes =
      dhcp::testing::PacketMaker().xid(7).option(50, {198, 51, 100, 7}).end().bytes();
  const auto message = dhcp::parse_message(bytes);
  ASSERT_TRUE(message);
  const RequestKey made = request_key(*message);
  EXPECT_EQ(made.message_type, 0);
  EXPECT_EQ(made.requested_address, 0xC6336407u);
  EXPECT_EQ(made.server_identifier, 0u);
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
