#include "config_values.h"

#include <gtest/gtest.h>

namespace calloutemu::scopes {
namespace {

TEST(ParseYesNo, AcceptsTheSixWordsInAnyCase) {
  for (const char* yes : {"yes", "true", "1", "YES", "True"}) {
    const auto value = parse_yes_no(yes);
    ASSERT_TRUE(value) << yes;
    EXPECT_TRUE(*value) << yes;
  }
  for (const char* no : {"no", "false", "0", "No", "FALSE"}) {
    const auto value = parse_yes_no(no);
    ASSERT_TRUE(value) << no;
    EXPECT_FALSE(*value) << no;
  }
  EXPECT_EQ(parse_yes_no("maybe").error().message, "'maybe' is not yes, no, true, false, 1 or 0");
  EXPECT_FALSE(parse_yes_no("y"));
  EXPECT_FALSE(parse_yes_no("yess"));
}

TEST(ParseAddressList, SplitsOnCommasAndBlanks) {
  const auto list = parse_address_list("192.0.2.1,192.0.2.2 ,  192.0.2.3");
  ASSERT_TRUE(list);
  EXPECT_EQ(*list, (std::vector<Ipv4>{0xC0000201u, 0xC0000202u, 0xC0000203u}));
  EXPECT_EQ(parse_address_list("192.0.2.1,,192.0.2.2").error().message,
            "empty address in the list");
  EXPECT_EQ(parse_address_list("192.0.2.1,").error().message, "empty address in the list");
  EXPECT_EQ(parse_address_list("192.0.2.1 192.0.2.2").error().message,
            "'192.0.2.1 192.0.2.2' is not an IPv4 address");
}

TEST(ParseSeconds, ChecksTheBounds) {
  EXPECT_EQ(*parse_seconds("1", 1, 86400), 1u);
  EXPECT_EQ(*parse_seconds("86400", 1, 86400), 86400u);
  EXPECT_EQ(parse_seconds("0", 1, 86400).error().message, "0 is outside 1..86400");
  EXPECT_EQ(parse_seconds("86401", 1, 86400).error().message, "86401 is outside 1..86400");
  EXPECT_EQ(parse_seconds("99999999999999999999999", 1, 86400).error().message,
            "'99999999999999999999999' is not a number of seconds");
  EXPECT_EQ(parse_seconds("-5", 1, 86400).error().message, "'-5' is not a number of seconds");
  EXPECT_EQ(parse_seconds("60s", 1, 86400).error().message, "'60s' is not a number of seconds");
}

TEST(ParseLeaseTime, TakesSecondsOrInfinite) {
  EXPECT_EQ(*parse_lease_time("3600"), 3600u);
  EXPECT_EQ(*parse_lease_time("infinite"), kInfiniteLease);
  EXPECT_EQ(*parse_lease_time("4294967294"), 0xFFFFFFFEu);
  EXPECT_EQ(parse_lease_time("4294967295").error().message,
            "4294967295 is outside 1..4294967294 (or give infinite)");
  EXPECT_EQ(parse_lease_time("0").error().message, "0 is outside 1..4294967294 (or give infinite)");
  EXPECT_EQ(parse_lease_time("forever").error().message,
            "'forever' is not a number of seconds or infinite");
}

TEST(ParseReservation, ReadsTheThreeMacForms) {
  const std::string mac("\xaa\xbb\xcc\x0d\xee\xff", 6);
  for (const char* text :
       {"aa:bb:cc:0d:ee:ff 192.0.2.9", "AA-BB-CC-0D-EE-FF 192.0.2.9", "aabbcc0DeeFF\t 192.0.2.9"}) {
    const auto reservation = parse_reservation(text);
    ASSERT_TRUE(reservation) << text << ": " << reservation.error().message;
    EXPECT_EQ(reservation->key, Reservation::Key::mac);
    EXPECT_EQ(reservation->id, mac) << text;
    EXPECT_EQ(reservation->address, 0xC0000209u);
  }
}

TEST(ParseReservation, ReadsAClientId) {
  const auto reservation = parse_reservation("id:01AABBccddeeff 192.0.2.9");
  ASSERT_TRUE(reservation) << reservation.error().message;
  EXPECT_EQ(reservation->key, Reservation::Key::client_id);
  EXPECT_EQ(reservation->id, std::string("\x01\xaa\xbb\xcc\xdd\xee\xff", 7));
  EXPECT_TRUE(parse_reservation("id:" + std::string(510, 'a') + " 192.0.2.9"));
}

TEST(ParseReservation, ExplainsErrors) {
  const auto error = [](const std::string& text) {
    return parse_reservation(text).error().message;
  };
  EXPECT_EQ(error("aa:bb:cc:dd:ee:ff"),
            "expected MAC ADDRESS or id:HEX ADDRESS, got 'aa:bb:cc:dd:ee:ff'");
  const std::string not_a_mac =
      " is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff) or id:HEX";
  EXPECT_EQ(error("aa:bb:cc-dd:ee:ff 192.0.2.9"), "'aa:bb:cc-dd:ee:ff'" + not_a_mac);
  EXPECT_EQ(error("aa:bb:cc:dd:ee:fg 192.0.2.9"), "'aa:bb:cc:dd:ee:fg'" + not_a_mac);
  EXPECT_EQ(error("aabbccddee 192.0.2.9"), "'aabbccddee'" + not_a_mac);
  EXPECT_EQ(error("id:abc 192.0.2.9"), "id:abc has an odd number of hex digits");
  EXPECT_EQ(error("id:zz11 192.0.2.9"), "id:zz11 is not hexadecimal");
  EXPECT_EQ(error("id:01 192.0.2.9"), "id:01 is 1 byte long (a client id is 2..255 bytes)");
  EXPECT_EQ(error("id:" + std::string(512, 'a') + " 192.0.2.9"),
            "id:" + std::string(512, 'a') + " is 256 bytes long (a client id is 2..255 bytes)");
  EXPECT_EQ(error("aabbccddeeff 192.0.2"), "'192.0.2' is not an IPv4 address");
  EXPECT_EQ(error("aabbccddeeff 192.0.2.9 extra"), "'192.0.2.9 extra' is not an IPv4 address");
}

}  // namespace
}  // namespace calloutemu::scopes
