// One scope of the emulated DHCP server: a subnet, its pool and what it hands out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"
#include "calloutemu/scopes/ipv4.h"

namespace calloutemu::scopes {

inline constexpr std::uint32_t kInfiniteLease = 0xFFFFFFFF;
inline constexpr std::uint32_t kDefaultLeaseTime =
    8 * 24 * 60 * 60;  // Windows DHCP Server's default, 8 days

struct Reservation {
  enum class Key : std::uint8_t { mac, client_id };
  Key key = Key::mac;
  std::string id;  // raw bytes: the MAC's 6 bytes, or option 61's whole data (type byte first)
  Ipv4 address = 0;
};

// "aa:bb:cc:dd:ee:ff" for a MAC key, "id:01aabbccddeeff" for a client id key.
std::string format_reservation_key(const Reservation& reservation);

// The 6 bytes of a MAC written aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff (one
// separator throughout) or aabbccddeeff, any case; nullopt for anything else.
std::optional<std::string> parse_mac(std::string_view text);

struct Scope {
  std::string name;
  Subnet subnet;
  Ipv4 server_address = 0;           // the server's own address here (hook IpAddress, option 54)
  std::vector<AddressRange> ranges;  // dynamic pool
  std::vector<AddressRange> exclusions;
  std::vector<Reservation> reservations;
  std::uint32_t lease_time = kDefaultLeaseTime;  // seconds or kInfiniteLease
  std::vector<Ipv4> routers;
  std::vector<Ipv4> dns_servers;
  std::string domain_name;
  bool serves_bootp = false;
  std::uint32_t bootp_lease_time = kInfiniteLease;
};

// --scope CIDR on the command line: name = the CIDR text, one range first_host()..last_host(),
// server_address = first_host(), default lease time, no options, no BOOTP. Errors as
// parse_subnet, prefixed "--scope: ".
Result<Scope> scope_from_cidr(std::string_view cidr);

}  // namespace calloutemu::scopes
