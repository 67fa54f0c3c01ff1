// IPv4 addresses, subnets and address ranges, as the scope configuration writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "calloutemu/result.h"

namespace calloutemu::scopes {

using Ipv4 = std::uint32_t;  // host order: 192.0.2.1 is 0xC0000201

// Exactly four decimal parts 0..255 of 1 to 3 digits ("010" is 10, never octal);
// no blanks, signs or anything else.
std::optional<Ipv4> parse_ipv4(std::string_view text);
std::string format_ipv4(Ipv4 address);  // "192.0.2.1"

struct Subnet {
  Ipv4 network = 0;
  int prefix_length = 0;

  Ipv4 mask() const;
  Ipv4 broadcast() const;
  bool contains(Ipv4 address) const;
  Ipv4 first_host() const { return network + 1; }
  Ipv4 last_host() const { return broadcast() - 1; }
};

std::string format_subnet(const Subnet& subnet);  // "192.0.2.0/24"

// "192.0.2.0/24", prefix 8..30, no host bits set.
Result<Subnet> parse_subnet(std::string_view text);

struct AddressRange {
  Ipv4 first = 0;
  Ipv4 last = 0;

  bool contains(Ipv4 address) const { return first <= address && address <= last; }
  std::uint64_t size() const { return std::uint64_t{last} - first + 1; }
};

std::string format_range(const AddressRange& range);  // "A-B", or "A" for one address

// "A-B", "A - B" (blanks around the dash), or one address "A"; first <= last.
Result<AddressRange> parse_range(std::string_view text);

}  // namespace calloutemu::scopes
