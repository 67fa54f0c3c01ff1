// Test frames built byte by byte, independently of the library's own builder.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace calloutemu::pcap_replay::test_frames {

using ByteVector = std::vector<std::uint8_t>;

struct Ipv4Fields {
  std::uint32_t source = 0xC0000201;       // 192.0.2.1
  std::uint32_t destination = 0xC0000202;  // 192.0.2.2
  std::uint8_t protocol = 17;
  std::uint16_t flags_fragment = 0;           // flags (3 bits) and fragment offset (13)
  ByteVector options;                         // a multiple of 4 bytes, at most 40
  std::optional<std::uint8_t> version_ihl;    // default: version 4, IHL from the options
  std::optional<std::uint16_t> total_length;  // default: header plus payload
};

struct UdpFields {
  std::uint16_t source_port = 68;
  std::uint16_t destination_port = 67;
  std::optional<std::uint16_t> length;  // default: header plus payload
};

void append_be16(ByteVector& out, std::uint16_t value);
void append_be32(ByteVector& out, std::uint32_t value);

// Checksums are left 0: the decoder does not check them.
ByteVector udp_segment(const ByteVector& payload, const UdpFields& udp = {});
ByteVector ipv4_packet(const ByteVector& ip_payload, const Ipv4Fields& ip = {});
ByteVector ipv4_udp(const ByteVector& payload, const Ipv4Fields& ip = {},
                    const UdpFields& udp = {});

// (TPID, TCI) pairs, outermost first.
using Tags = std::vector<std::pair<std::uint16_t, std::uint16_t>>;
ByteVector ethernet(std::uint16_t ethertype, const ByteVector& payload, const Tags& tags = {});
ByteVector linux_sll(std::uint16_t protocol, const ByteVector& payload);
ByteVector linux_sll2(std::uint16_t protocol, const ByteVector& payload);
// The 4-byte family in little- or big-endian order, as the capturing host wrote it.
ByteVector bsd_null(std::uint32_t family, bool little_endian, const ByteVector& payload);

ByteVector bytes_from(std::span<const std::uint8_t> span);
ByteVector counting_payload(std::size_t size);  // 0, 1, 2, ... mod 256

// Independent checks of the Internet checksum: the 16-bit one's complement
// sum over data that includes its checksum field is 0xFFFF.
bool checksum_holds(std::span<const std::uint8_t> data);
// The UDP checksum of an IPv4 packet (no options needed), pseudo-header included.
bool udp_checksum_holds(std::span<const std::uint8_t> ipv4_packet);

}  // namespace calloutemu::pcap_replay::test_frames
