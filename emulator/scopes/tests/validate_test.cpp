#include <gtest/gtest.h>

#include "calloutemu/scopes/server_config.h"

namespace calloutemu::scopes {
namespace {

constexpr Ipv4 kNet = 0xC0000200u;  // 192.0.2.0/24

Scope lab() {
  auto scope = scope_from_cidr("192.0.2.0/24").value();
  scope.name = "lab";
  return scope;
}

ServerConfig with_scopes(std::vector<Scope> scopes) {
  ServerConfig config;
  config.scopes = std::move(scopes);
  return config;
}

std::string problem(const ServerConfig& config) {
  const auto status = validate(config);
  return status ? std::string("(valid)") : status.error().message;
}

std::string problem(const Scope& scope) {
  return problem(with_scopes({scope}));
}

TEST(Validate, AcceptsAFullScope) {
  auto scope = lab();
  scope.exclusions = {{kNet + 1, kNet + 9}};
  scope.reservations = {{Reservation::Key::mac, "\x01\x02\x03\x04\x05\x06", kNet + 5},
                        {Reservation::Key::client_id, "\x01\x01\x02\x03\x04\x05\x06", kNet + 6}};
  auto other = scope_from_cidr("192.0.3.0/24").value();
  other.reservations = {{Reservation::Key::mac, "\x01\x02\x03\x04\x05\x06", 0xC0000305u}};
  EXPECT_EQ(problem(with_scopes({scope, other})), "(valid)")
      << "the same MAC may be reserved in two scopes";
  EXPECT_EQ(problem(ServerConfig{}), "(valid)") << "no scope at all is a valid configuration";
}

TEST(Validate, ChecksTheSubnet) {
  auto scope = lab();
  scope.subnet.prefix_length = 31;
  EXPECT_EQ(problem(scope), "prefix length /31 of scope lab is outside 8..30");
  scope = lab();
  scope.subnet.network = kNet + 1;
  EXPECT_EQ(problem(scope), "subnet 192.0.2.1/24 of scope lab has host bits set");
}

TEST(Validate, ChecksTheServerAddress) {
  auto scope = lab();
  scope.server_address = 0xC0000301u;
  EXPECT_EQ(problem(scope),
            "server-address: 192.0.3.1 is outside subnet 192.0.2.0/24 of scope lab");
  scope.server_address = kNet;
  EXPECT_EQ(problem(scope),
            "server-address: 192.0.2.0 is the network address of subnet 192.0.2.0/24 of scope lab");
  scope.server_address = kNet + 255;
  EXPECT_EQ(problem(scope),
            "server-address: 192.0.2.255 is the broadcast address of subnet "
            "192.0.2.0/24 of scope lab");
}

TEST(Validate, ChecksRangesAndExclusions) {
  auto scope = lab();
  scope.ranges = {{kNet + 200, 0xC0000305u}};
  EXPECT_EQ(problem(scope),
            "range: 192.0.2.200-192.0.3.5 is outside subnet 192.0.2.0/24 of scope lab");
  scope.ranges = {{kNet, kNet + 10}};
  EXPECT_EQ(problem(scope),
            "range: 192.0.2.0-192.0.2.10 includes 192.0.2.0, the network "
            "address of subnet 192.0.2.0/24 of scope lab");
  scope.ranges = {{kNet + 1, kNet + 10}};
  scope.exclusions = {{kNet + 250, kNet + 255}};
  EXPECT_EQ(problem(scope),
            "exclude: 192.0.2.250-192.0.2.255 includes 192.0.2.255, the "
            "broadcast address of subnet 192.0.2.0/24 of scope lab");
}

TEST(Validate, ChecksReservations) {
  auto scope = lab();
  scope.reservations = {{Reservation::Key::mac, "\x01\x02\x03\x04\x05\x06", 0xC0000309u}};
  EXPECT_EQ(problem(scope), "reserve: 192.0.3.9 is outside subnet 192.0.2.0/24 of scope lab");
  scope.reservations[0].address = scope.server_address;
  EXPECT_EQ(problem(scope), "reserve: 192.0.2.1 is the server address of scope lab");
  scope.reservations[0].address = kNet + 255;
  EXPECT_EQ(problem(scope),
            "reserve: 192.0.2.255 is the broadcast address of subnet 192.0.2.0/24 of scope lab");
}

TEST(Validate, RejectsTwoReservationsSharingAnAddressOrAKey) {
  auto scope = lab();
  scope.reservations = {{Reservation::Key::mac, "\x01\x02\x03\x04\x05\x06", kNet + 9},
                        {Reservation::Key::client_id, "\x01\x07", kNet + 9}};
  EXPECT_EQ(problem(scope),
            "reserve: 192.0.2.9 is reserved twice in scope lab (for "
            "01:02:03:04:05:06 and id:0107)");
  scope.reservations[1] = {Reservation::Key::mac, "\x01\x02\x03\x04\x05\x06", kNet + 10};
  EXPECT_EQ(problem(scope),
            "reserve: 01:02:03:04:05:06 is reserved twice in scope lab (192.0.2.9 and 192.0.2.10)");
}

TEST(Validate, ChecksLeaseTimesAndTheOfferHoldTime) {
  auto scope = lab();
  scope.lease_time = 0;
  EXPECT_EQ(problem(scope),
            "lease time of scope lab is 0 (give 1..4294967294 seconds or infinite)");
  scope = lab();
  scope.bootp_lease_time = 0;
  EXPECT_EQ(problem(scope),
            "BOOTP lease time of scope lab is 0 (give 1..4294967294 seconds or infinite)");
  auto config = with_scopes({lab()});
  config.offer_hold_time = 0;
  EXPECT_EQ(problem(config), "offer-hold-time: 0 is outside 1..86400");
  config.offer_hold_time = 86401;
  EXPECT_EQ(problem(config), "offer-hold-time: 86401 is outside 1..86400");
}

TEST(Validate, RejectsOverlappingSubnetsNamingTheLaterScope) {
  auto wide = scope_from_cidr("10.0.0.0/8").value();
  auto a = scope_from_cidr("10.1.0.0/16").value();
  auto b = scope_from_cidr("192.0.2.0/24").value();
  EXPECT_EQ(
      problem(with_scopes({a, b, wide})),
      "subnet 10.0.0.0/8 of scope 10.0.0.0/8 overlaps subnet 10.1.0.0/16 of scope 10.1.0.0/16");
  EXPECT_EQ(
      problem(with_scopes({wide, b, a})),
      "subnet 10.1.0.0/16 of scope 10.1.0.0/16 overlaps subnet 10.0.0.0/8 of scope 10.0.0.0/8");
  auto c = scope_from_cidr("10.200.0.0/16").value();
  EXPECT_EQ(
      problem(with_scopes({wide, a, b})),
      "subnet 10.1.0.0/16 of scope 10.1.0.0/16 overlaps subnet 10.0.0.0/8 of scope 10.0.0.0/8");
  EXPECT_EQ(problem(with_scopes({a, c, b})), "(valid)");
}

TEST(Validate, RejectsTwoScopesOfOneName) {
  auto a = lab();
  auto b = scope_from_cidr("192.0.3.0/24").value();
  b.name = "lab";
  EXPECT_EQ(problem(with_scopes({a, b})), "two scopes are named lab");
  b.name = "";
  EXPECT_EQ(problem(with_scopes({a, b})), "the scope of subnet 192.0.3.0/24 has no name");
}

}  // namespace
}  // namespace calloutemu::scopes
