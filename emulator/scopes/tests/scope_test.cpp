#include "calloutemu/scopes/scope.h"

#include <gtest/gtest.h>

namespace calloutemu::scopes {
namespace {

TEST(ScopeFromCidr, MakesOneRangeOfAllHostsServedByTheFirst) {
  const auto scope = scope_from_cidr("192.0.2.0/24");
  ASSERT_TRUE(scope) << scope.error().message;
  EXPECT_EQ(scope->name, "192.0.2.0/24");
  EXPECT_EQ(scope->subnet.network, 0xC0000200u);
  EXPECT_EQ(scope->subnet.prefix_length, 24);
  EXPECT_EQ(scope->server_address, 0xC0000201u);
  ASSERT_EQ(scope->ranges.size(), 1u);
  EXPECT_EQ(scope->ranges[0].first, 0xC0000201u);
  EXPECT_EQ(scope->ranges[0].last, 0xC00002FEu);
  EXPECT_TRUE(scope->exclusions.empty());
  EXPECT_TRUE(scope->reservations.empty());
  EXPECT_EQ(scope->lease_time, kDefaultLeaseTime);
  EXPECT_EQ(kDefaultLeaseTime, 691200u);
  EXPECT_TRUE(scope->routers.empty());
  EXPECT_TRUE(scope->dns_servers.empty());
  EXPECT_TRUE(scope->domain_name.empty());
  EXPECT_FALSE(scope->serves_bootp);
}

TEST(ScopeFromCidr, PrefixesErrorsWithTheOption) {
  EXPECT_EQ(scope_from_cidr("192.0.2.1/24").error().message,
            "--scope: 192.0.2.1/24 has host bits set (the network is 192.0.2.0/24)");
  EXPECT_EQ(scope_from_cidr("lab").error().message,
            "--scope: 'lab' is not a subnet (expected ADDRESS/PREFIX, e.g. 192.0.2.0/24)");
}

TEST(FormatReservationKey, WritesMacsAndClientIds) {
  EXPECT_EQ(format_reservation_key(
                {Reservation::Key::mac, std::string("\x00\x1a\x2b\x3c\x4d\xff", 6), 0}),
            "00:1a:2b:3c:4d:ff");
  EXPECT_EQ(format_reservation_key({Reservation::Key::client_id, std::string("\x01\xab", 2), 0}),
            "id:01ab");
}

}  // namespace
}  // namespace calloutemu::scopes
