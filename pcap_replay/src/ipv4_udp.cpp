#include "ipv4_udp.h"

#include <cstdint>

namespace calloutemu::pcap_replay {
namespace {

constexpr std::size_t kMinIpv4Header = 20;
constexpr std::size_t kUdpHeader = 8;
constexpr std::uint8_t kProtocolUdp = 17;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;

}  // namespace

DecodeResult decode_ipv4_udp(Bytes frame, const Ipv4Start& start) {
  if (!fits(frame, start.offset, kMinIpv4Header)) {
    return SkipReason::truncated;
  }
  const Bytes ip = frame.subspan(start.offset);
  const int version = ip[0] >> 4;
  const std::size_t header_length = std::size_t{ip[0] & 0x0fu} * 4;
  const std::uint16_t total_length = load_be16(ip.data() + 2);
  if (version != 4 || header_length < kMinIpv4Header || total_length < header_length) {
    return SkipReason::malformed_ip_header;
  }
  // Protocol before fragmentation: a fragment of another protocol is not_udp.
  if (ip[9] != kProtocolUdp) {
    return SkipReason::not_udp;
  }
  const std::uint16_t fragment = load_be16(ip.data() + 6);
  if ((fragment & kMoreFragments) != 0 || (fragment & kFragmentOffsetMask) != 0) {
    return SkipReason::ipv4_fragment;
  }
  // Covers the options too (total_length >= header_length); bytes after
  // total_length are link-layer padding or trailers.
  if (ip.size() < total_length) {
    return SkipReason::truncated;
  }
  const Bytes udp = ip.subspan(header_length, total_length - header_length);
  if (udp.size() < kUdpHeader) {
    return SkipReason::malformed_udp_header;
  }
  const std::uint16_t udp_length = load_be16(udp.data() + 4);
  if (udp_length < kUdpHeader || udp_length > udp.size()) {
    return SkipReason::malformed_udp_header;
  }

  UdpDatagram datagram;
  datagram.source_address = load_be32(ip.data() + 12);
  datagram.destination_address = load_be32(ip.data() + 16);
  datagram.source_port = load_be16(udp.data());
  datagram.destination_port = load_be16(udp.data() + 2);
  datagram.payload = udp.subspan(kUdpHeader, udp_length - kUdpHeader);
  datagram.vlan_tags = start.vlan_tags;
  datagram.ip_offset = start.offset;
  datagram.ip_header_length = header_length;
  return datagram;
}

}  // namespace calloutemu::pcap_replay
