#include "calloutemu/scopes/ipv4.h"

#include <gtest/gtest.h>

namespace calloutemu::scopes {
namespace {

TEST(ParseIpv4, ReadsFourDecimalParts) {
  EXPECT_EQ(parse_ipv4("192.0.2.1"), 0xC0000201u);
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0u);
  EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xFFFFFFFFu);
  EXPECT_EQ(parse_ipv4("010.001.000.009"), 0x0A010009u) << "leading zeros are decimal";
}

TEST(ParseIpv4, RejectsAnythingElse) {
  for (const char* text :
       {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "+1.2.3.4",
        "1..3.4", "1.2.3.", "0001.2.3.4", "1.2.3.4/24", "a.b.c.d", "1.2.3.0x4"}) {
    EXPECT_EQ(parse_ipv4(text), std::nullopt) << text;
  }
}

TEST(FormatIpv4, WritesDottedDecimal) {
  EXPECT_EQ(format_ipv4(0xC0000201u), "192.0.2.1");
  EXPECT_EQ(format_ipv4(0), "0.0.0.0");
  EXPECT_EQ(format_ipv4(0xFFFFFFFFu), "255.255.255.255");
}

TEST(Subnet, DerivesMaskBroadcastAndHosts) {
  const Subnet subnet{0xC0000200u, 24};
  EXPECT_EQ(subnet.mask(), 0xFFFFFF00u);
  EXPECT_EQ(subnet.broadcast(), 0xC00002FFu);
  EXPECT_EQ(subnet.first_host(), 0xC0000201u);
  EXPECT_EQ(subnet.last_host(), 0xC00002FEu);
  EXPECT_TRUE(subnet.contains(0xC0000200u));
  EXPECT_TRUE(subnet.contains(0xC00002FFu));
  EXPECT_FALSE(subnet.contains(0xC0000300u));
  EXPECT_FALSE(subnet.contains(0xC00001FFu));
  EXPECT_EQ(format_subnet(subnet), "192.0.2.0/24");
}

TEST(Subnet, HandlesTheExtremePrefixes) {
  EXPECT_EQ((Subnet{0, 0}).mask(), 0u);
  EXPECT_EQ((Subnet{0x0A000000u, 8}).broadcast(), 0x0AFFFFFFu);
  EXPECT_EQ((Subnet{0xC0000204u, 30}).last_host(), 0xC0000206u);
  EXPECT_EQ((Subnet{0xC0000204u, 32}).mask(), 0xFFFFFFFFu);
}

TEST(ParseSubnet, ReadsAddressSlashPrefix) {
  const auto subnet = parse_subnet("10.0.0.0/8");
  ASSERT_TRUE(subnet) << subnet.error().message;
  EXPECT_EQ(subnet->network, 0x0A000000u);
  EXPECT_EQ(subnet->prefix_length, 8);
  ASSERT_TRUE(parse_subnet("192.0.2.4/30"));
}

TEST(ParseSubnet, NamesTheNetworkMeantWhenHostBitsAreSet) {
  const auto subnet = parse_subnet("192.0.2.1/24");
  ASSERT_FALSE(subnet);
  EXPECT_EQ(subnet.error().message, "192.0.2.1/24 has host bits set (the network is 192.0.2.0/24)");
}

TEST(ParseSubnet, ExplainsEveryOtherError) {
  const auto error = [](const char* text) { return parse_subnet(text).error().message; };
  EXPECT_EQ(error("192.0.2.0"),
            "'192.0.2.0' is not a subnet (expected ADDRESS/PREFIX, e.g. 192.0.2.0/24)");
  EXPECT_EQ(error("192.0.2/24"), "'192.0.2' is not an IPv4 address");
  EXPECT_EQ(error("192.0.2.0/"), "'' is not a prefix length");
  EXPECT_EQ(error("192.0.2.0/x"), "'x' is not a prefix length");
  EXPECT_EQ(error("192.0.2.0/-4"), "'-4' is not a prefix length");
  EXPECT_EQ(error("192.0.2.0/33"), "'33' is not a prefix length");
  EXPECT_EQ(error("192.0.2.0/31"), "prefix length /31 of 192.0.2.0/31 is outside 8..30");
  EXPECT_EQ(error("10.0.0.0/7"), "prefix length /7 of 10.0.0.0/7 is outside 8..30");
}

TEST(ParseRange, ReadsTwoAddressesOrOne) {
  const auto range = parse_range("192.0.2.10-192.0.2.20");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 0xC000020Au);
  EXPECT_EQ(range->last, 0xC0000214u);
  EXPECT_EQ(range->size(), 11u);
  const auto spaced = parse_range("192.0.2.10 - 192.0.2.20");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->last, 0xC0000214u);
  const auto one = parse_range("192.0.2.7");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->first, one->last);
  EXPECT_EQ(one->size(), 1u);
  EXPECT_EQ(format_range(*one), "192.0.2.7");
  EXPECT_EQ(format_range(*range), "192.0.2.10-192.0.2.20");
}

TEST(ParseRange, SizeOfTheWholeSpaceDoesNotOverflow) {
  EXPECT_EQ((AddressRange{0, 0xFFFFFFFFu}).size(), std::uint64_t{1} << 32);
}

TEST(ParseRange, ExplainsErrors) {
  EXPECT_EQ(parse_range("192.0.2.20-192.0.2.10").error().message,
            "range 192.0.2.20-192.0.2.10 ends before it starts");
  EXPECT_EQ(parse_range("192.0.2.x-192.0.2.10").error().message,
            "'192.0.2.x' is not an IPv4 address");
  EXPECT_EQ(parse_range("192.0.2.1-").error().message, "'' is not an IPv4 address");
  EXPECT_EQ(parse_range("192.0.2.1-2-3").error().message, "'2-3' is not an IPv4 address");
}

}  // namespace
}  // namespace calloutemu::scopes
