// Builds the Ethernet II / IPv4 / UDP frame around a UDP payload.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::pcap_replay {

using MacAddress = std::array<std::uint8_t, 6>;

struct UdpFrameAddresses {
  MacAddress source_mac{};
  MacAddress destination_mac{};
  std::uint32_t source_address = 0;       // host order: 192.0.2.1 is 0xC0000201
  std::uint32_t destination_address = 0;  // host order
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::uint16_t ip_id = 0;  // the IPv4 identification field
};

inline constexpr std::size_t kEthernetHeaderLength = 14;
inline constexpr std::size_t kIpv4HeaderLength = 20;
inline constexpr std::size_t kUdpHeaderLength = 8;
inline constexpr std::size_t kUdpFrameOverhead =
    kEthernetHeaderLength + kIpv4HeaderLength + kUdpHeaderLength;
// The largest payload an IPv4 total length can carry with a 20-byte header.
inline constexpr std::size_t kMaxUdpPayload = 65535 - kIpv4HeaderLength - kUdpHeaderLength;

// IPv4 without options, TTL 64, DF clear, both checksums computed (the UDP one
// over the pseudo-header; 0xFFFF stands for a computed 0). The frame is not
// padded to Ethernet's 60-byte minimum. Errors: payload over kMaxUdpPayload.
Result<std::vector<std::uint8_t>> build_udp_frame(const UdpFrameAddresses& addresses,
                                                  std::span<const std::uint8_t> payload);

}  // namespace calloutemu::pcap_replay
