// Parsers of the values in the [server] and [scope NAME] sections. Errors describe the value
// only; the reader puts "FILE:LINE: KEY: " before them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"
#include "calloutemu/scopes/ipv4.h"
#include "calloutemu/scopes/scope.h"

namespace calloutemu::scopes {

Result<bool> parse_yes_no(std::string_view value);  // yes|no|true|false|1|0, any case
Result<Ipv4> parse_address(std::string_view value);
Result<std::vector<Ipv4>> parse_address_list(std::string_view value);  // "A, B, C"
Result<std::uint32_t> parse_seconds(std::string_view value, std::uint32_t min, std::uint32_t max);
Result<std::uint32_t> parse_lease_time(std::string_view value);  // 1..0xFFFFFFFE or "infinite"
// "MAC ADDRESS" or "id:HEX ADDRESS".
Result<Reservation> parse_reservation(std::string_view value);

}  // namespace calloutemu::scopes
