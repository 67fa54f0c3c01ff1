#include "frame_builder.h"

namespace calloutemu::pcap_replay::test_frames {

void append_be16(ByteVector& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void append_be32(ByteVector& out, std::uint32_t value) {
  append_be16(out, static_cast<std::uint16_t>(value >> 16));
  append_be16(out, static_cast<std::uint16_t>(value));
}

ByteVector udp_segment(const ByteVector& payload, const UdpFields& udp) {
  ByteVector out;
  append_be16(out, udp.source_port);
  append_be16(out, udp.destination_port);
  append_be16(out, udp.length.value_or(static_cast<std::uint16_t>(8 + payload.size())));
  append_be16(out, 0);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ByteVector ipv4_packet(const ByteVector& ip_payload, const Ipv4Fields& ip) {
  const std::size_t header_length = 20 + ip.options.size();
  ByteVector out;
  out.push_back(ip.version_ihl.value_or(static_cast<std::uint8_t>(0x40 | (header_length / 4))));
  out.push_back(0);  // DSCP, ECN
  append_be16(
      out, ip.total_length.value_or(static_cast<std::uint16_t>(header_length + ip_payload.size())));
  append_be16(out, 0x1234);  // identification
  append_be16(out, ip.flags_fragment);
  out.push_back(64);
  out.push_back(ip.protocol);
  append_be16(out, 0);  // header checksum
  append_be32(out, ip.source);
  append_be32(out, ip.destination);
  out.insert(out.end(), ip.options.begin(), ip.options.end());
  out.insert(out.end(), ip_payload.begin(), ip_payload.end());
  return out;
}

ByteVector ipv4_udp(const ByteVector& payload, const Ipv4Fields& ip, const UdpFields& udp) {
  return ipv4_packet(udp_segment(payload, udp), ip);
}

ByteVector ethernet(std::uint16_t ethertype, const ByteVector& payload, const Tags& tags) {
  ByteVector out = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
  for (const auto& [tpid, tci] : tags) {
    append_be16(out, tpid);
    append_be16(out, tci);
  }
  append_be16(out, ethertype);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ByteVector linux_sll(std::uint16_t protocol, const ByteVector& payload) {
  ByteVector out;
  append_be16(out, 0);  // packet type: to us
  append_be16(out, 1);  // ARPHRD_ETHER
  append_be16(out, 6);  // address length
  out.insert(out.end(), {0x02, 0, 0, 0, 0, 0x01, 0, 0});
  append_be16(out, protocol);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ByteVector linux_sll2(std::uint16_t protocol, const ByteVector& payload) {
  ByteVector out;
  append_be16(out, protocol);
  append_be16(out, 0);  // reserved
  append_be32(out, 3);  // interface index
  append_be16(out, 1);  // ARPHRD_ETHER
  out.push_back(0);     // packet type
  out.push_back(6);     // address length
  out.insert(out.end(), {0x02, 0, 0, 0, 0, 0x01, 0, 0});
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ByteVector bsd_null(std::uint32_t family, bool little_endian, const ByteVector& payload) {
  ByteVector out;
  for (int i = 0; i < 4; ++i) {
    const int shift = little_endian ? 8 * i : 8 * (3 - i);
    out.push_back(static_cast<std::uint8_t>(family >> shift));
  }
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

ByteVector bytes_from(std::span<const std::uint8_t> span) {
  return ByteVector(span.begin(), span.end());
}

ByteVector counting_payload(std::size_t size) {
  ByteVector out(size);
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = static_cast<std::uint8_t>(i);
  }
  return out;
}

namespace {

std::uint32_t word_sum(std::span<const std::uint8_t> data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    sum += (i % 2 == 0) ? std::uint32_t{data[i]} << 8 : data[i];
  }
  return sum;
}

bool folds_to_ffff(std::uint32_t sum) {
  while ((sum >> 16) != 0) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return sum == 0xffff;
}

}  // namespace

bool checksum_holds(std::span<const std::uint8_t> data) {
  return folds_to_ffff(word_sum(data));
}

bool udp_checksum_holds(std::span<const std::uint8_t> packet) {
  const std::size_t header_length = std::size_t{packet[0] & 0x0fu} * 4;
  const auto udp = packet.subspan(header_length);
  ByteVector pseudo(packet.begin() + 12, packet.begin() + 20);  // source, destination
  pseudo.push_back(0);
  pseudo.push_back(17);
  append_be16(pseudo, static_cast<std::uint16_t>(udp.size()));
  return folds_to_ffff(word_sum(pseudo) + word_sum(udp));
}

}  // namespace calloutemu::pcap_replay::test_frames
