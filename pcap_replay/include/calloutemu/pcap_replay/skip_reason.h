// Why a captured frame yields no UDP datagram.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace calloutemu::pcap_replay {

enum class SkipReason {
  unsupported_link_type,  // not a link layer the decoder knows
  not_ipv4,               // IPv6, ARP, LLC and any other network protocol
  not_udp,                // IPv4 carrying another protocol (also when fragmented)
  ipv4_fragment,          // a UDP fragment (MF set or offset != 0): never reassembled
  truncated,              // the frame ends before its headers, or before its IP/UDP lengths say
  malformed_ip_header,    // version not 4, IHL < 5, total length shorter than the header
  malformed_udp_header,   // UDP length < 8, or longer than the IP payload
};

inline constexpr std::array kAllSkipReasons = {
    SkipReason::unsupported_link_type, SkipReason::not_ipv4,  SkipReason::not_udp,
    SkipReason::ipv4_fragment,         SkipReason::truncated, SkipReason::malformed_ip_header,
    SkipReason::malformed_udp_header,
};
inline constexpr std::size_t kSkipReasonCount = kAllSkipReasons.size();

// "unsupported link type", "not IPv4", ... (for reports and logs).
std::string_view to_string(SkipReason reason);

}  // namespace calloutemu::pcap_replay
