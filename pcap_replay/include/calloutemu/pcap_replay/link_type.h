// Link-layer header types the frame decoder understands: the DLT_ values
// pcap_datalink() returns, plus LINKTYPE_RAW as it appears in files.
#pragma once

namespace calloutemu::pcap_replay::link_type {

inline constexpr int kNull = 0;           // DLT_NULL: BSD loopback, 4-byte address family
inline constexpr int kEthernet = 1;       // DLT_EN10MB: Ethernet II, 802.1Q/802.1ad tags
inline constexpr int kRaw = 12;           // DLT_RAW: the packet starts with its IP header
inline constexpr int kLinktypeRaw = 101;  // LINKTYPE_RAW: the same, as files spell it
inline constexpr int kLinuxSll = 113;     // DLT_LINUX_SLL: Linux cooked capture v1
inline constexpr int kIpv4 = 228;         // DLT_IPV4: raw IPv4 only
inline constexpr int kLinuxSll2 = 276;    // DLT_LINUX_SLL2: Linux cooked capture v2

}  // namespace calloutemu::pcap_replay::link_type
