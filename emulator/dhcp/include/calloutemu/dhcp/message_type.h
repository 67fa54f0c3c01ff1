// DHCP message types: the value of option 53 (RFC 2132 §9.6, RFC 4388 §6.1).
#pragma once

#include <cstdint>
#include <string_view>

namespace calloutemu::dhcp {

// Any byte can arrive in option 53, so a MessageType may hold a value that has
// no enumerator.
enum class MessageType : std::uint8_t {
  discover = 1,
  offer = 2,
  request = 3,
  decline = 4,
  ack = 5,
  nak = 6,
  release = 7,
  inform = 8,
  // Leasequery (RFC 4388): named, but for this server "any other type".
  leasequery = 10,
  leaseunassigned = 11,
  leaseunknown = 12,
  leaseactive = 13,
};

// "DISCOVER", ..., "INFORM", "LEASEQUERY", ..., "LEASEACTIVE"; "unknown" for
// any other value.
std::string_view to_string(MessageType type);

// True for the requests the server acts on (spec §3 step 9): DISCOVER,
// REQUEST, DECLINE, RELEASE, INFORM. Every other type, the leasequery ones
// included, is "any other type" there and ends INVALID.
bool is_served_request(MessageType type);

}  // namespace calloutemu::dhcp
