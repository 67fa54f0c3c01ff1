#include "link_layer.h"

#include <cstdint>

namespace calloutemu::pcap_replay {
namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::size_t kEthernetTypeOffset = 12;  // after the two MAC addresses
constexpr std::size_t kEthernetHeaderLength = 14;
// SLL: packet type, ARPHRD type, address length, 8 address bytes, then the protocol.
constexpr std::size_t kSllTypeOffset = 14;
constexpr std::size_t kSllHeaderLength = 16;
constexpr std::size_t kSll2TypeOffset = 0;  // SLL2 leads with the protocol
constexpr std::size_t kSll2HeaderLength = 20;
constexpr std::size_t kNullHeaderLength = 4;
constexpr std::uint32_t kAfInet = 2;  // AF_INET is 2 on every system that writes DLT_NULL

bool is_vlan_tpid(std::uint16_t type) {
  return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

// The EtherType at `type_offset`, whose payload starts at `payload_offset`,
// and the VLAN tags it introduces: a tag's TCI and the next EtherType start
// that payload.
std::variant<Ipv4Start, SkipReason> after_ethertype(Bytes frame, std::size_t type_offset,
                                                    std::size_t payload_offset) {
  VlanTags tags;
  for (;;) {
    if (!fits(frame, type_offset, 2)) {
      return SkipReason::truncated;
    }
    const std::uint16_t type = load_be16(frame.data() + type_offset);
    if (!is_vlan_tpid(type)) {
      if (type != kEtherTypeIpv4) {
        return SkipReason::not_ipv4;
      }
      return Ipv4Start{payload_offset, tags};
    }
    if (!fits(frame, payload_offset, 4)) {
      return SkipReason::truncated;
    }
    tags.add(VlanTag{type, load_be16(frame.data() + payload_offset)});
    type_offset = payload_offset + 2;
    payload_offset += 4;
  }
}

// Raw IP link types carry IPv4 or IPv6: the version nibble tells which.
std::variant<Ipv4Start, SkipReason> raw_ip(Bytes frame) {
  if (frame.empty()) {
    return SkipReason::truncated;
  }
  if ((frame[0] >> 4) != 4) {
    return SkipReason::not_ipv4;
  }
  return Ipv4Start{};
}

// The family is in the capturing host's byte order, which the file does not record.
std::variant<Ipv4Start, SkipReason> bsd_loopback(Bytes frame) {
  if (!fits(frame, 0, kNullHeaderLength)) {
    return SkipReason::truncated;
  }
  const std::uint32_t family = load_be32(frame.data());
  const std::uint32_t swapped = ((family & 0xffu) << 24) | ((family & 0xff00u) << 8) |
                                ((family >> 8) & 0xff00u) | (family >> 24);
  if (family != kAfInet && swapped != kAfInet) {
    return SkipReason::not_ipv4;
  }
  return Ipv4Start{kNullHeaderLength, {}};
}

}  // namespace

std::variant<Ipv4Start, SkipReason> find_ipv4(int link_type, Bytes frame) {
  switch (link_type) {
    case link_type::kEthernet:
      return after_ethertype(frame, kEthernetTypeOffset, kEthernetHeaderLength);
    case link_type::kLinuxSll:
      return after_ethertype(frame, kSllTypeOffset, kSllHeaderLength);
    case link_type::kLinuxSll2:
      return after_ethertype(frame, kSll2TypeOffset, kSll2HeaderLength);
    case link_type::kRaw:
    case link_type::kLinktypeRaw:
      return raw_ip(frame);
    case link_type::kIpv4:
      return Ipv4Start{};
    case link_type::kNull:
      return bsd_loopback(frame);
    default:
      return SkipReason::unsupported_link_type;
  }
}

}  // namespace calloutemu::pcap_replay
