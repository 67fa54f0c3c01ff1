// Finds the UDP/IPv4 datagram in one captured frame. Pure: no libpcap, no I/O.
//
// The decoder reads untrusted bytes: it checks bounds before every read, never
// throws, and returns a SkipReason for anything it does not accept.
// Checksums (IPv4 header and UDP) are NOT verified: with checksum offload the
// capturing host's own packets carry whatever the NIC was going to fill in, so
// a bad checksum in a capture says nothing about the datagram.
// IPv4 fragments are skipped, never reassembled.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "calloutemu/pcap_replay/link_type.h"
#include "calloutemu/pcap_replay/skip_reason.h"

namespace calloutemu::pcap_replay {

struct VlanTag {
  std::uint16_t tpid = 0;  // 0x8100 (802.1Q), 0x88a8 (802.1ad) or 0x9100 (QinQ)
  std::uint16_t tci = 0;   // priority (3 bits), drop eligible (1), VLAN id (12)
  std::uint16_t vlan_id() const { return tci & 0x0fffu; }
};

// The VLAN tags in front of the IP header, outermost first.
struct VlanTags {
  static constexpr std::size_t kMaxRecorded = 4;
  std::array<VlanTag, kMaxRecorded> recorded{};  // the first kMaxRecorded tags
  std::size_t count = 0;                         // every tag seen, recorded or not

  std::span<const VlanTag> tags() const { return {recorded.data(), std::min(count, kMaxRecorded)}; }
  void add(VlanTag tag) {
    if (count < kMaxRecorded) {
      recorded[count] = tag;
    }
    ++count;
  }
};

// A view into the frame it was decoded from: valid while those bytes are.
struct UdpDatagram {
  std::uint32_t source_address = 0;       // host order: 192.0.2.1 is 0xC0000201
  std::uint32_t destination_address = 0;  // host order
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::span<const std::uint8_t> payload;  // the UDP length's bytes after the UDP header
  VlanTags vlan_tags;
  std::size_t ip_offset = 0;         // where the IPv4 header starts in the frame
  std::size_t ip_header_length = 0;  // bytes, options included (20 to 60)
};

using DecodeResult = std::variant<UdpDatagram, SkipReason>;

// `link_type` is a DLT_/LINKTYPE_ value (link_type.h); `captured` the bytes
// captured of the frame; `wire_length` its length on the wire. A frame cut by
// the snaplen decodes as long as the cut misses the UDP datagram (it may take
// Ethernet padding); bytes past `wire_length` were never on the wire and are
// ignored. The payload ends where the UDP length says, whatever follows it.
DecodeResult decode_frame(int link_type, std::span<const std::uint8_t> captured,
                          std::uint32_t wire_length);

}  // namespace calloutemu::pcap_replay
