#include "calloutemu/pcap_replay/udp_frame.h"

#include <algorithm>
#include <string>

#include "calloutemu/byte_order.h"
#include "internet_checksum.h"

namespace calloutemu::pcap_replay {
namespace {

constexpr std::uint8_t kTtl = 64;
constexpr std::uint8_t kProtocolUdp = 17;

}  // namespace

Result<std::vector<std::uint8_t>> build_udp_frame(const UdpFrameAddresses& addresses,
                                                  std::span<const std::uint8_t> payload) {
  if (payload.size() > kMaxUdpPayload) {
    return make_error("UDP payload of " + std::to_string(payload.size()) +
                      " bytes is over the IPv4 maximum of " + std::to_string(kMaxUdpPayload));
  }
  const auto udp_length = static_cast<std::uint16_t>(kUdpHeaderLength + payload.size());
  const auto total_length = static_cast<std::uint16_t>(kIpv4HeaderLength + udp_length);
  std::vector<std::uint8_t> frame(kEthernetHeaderLength + total_length);

  std::copy(addresses.destination_mac.begin(), addresses.destination_mac.end(), frame.data());
  std::copy(addresses.source_mac.begin(), addresses.source_mac.end(), frame.data() + 6);
  store_be16(frame.data() + 12, 0x0800);

  constexpr std::size_t ip = kEthernetHeaderLength;
  frame[ip] = 0x45;  // version 4, IHL 5
  store_be16(frame.data() + ip + 2, total_length);
  store_be16(frame.data() + ip + 4, addresses.ip_id);
  // Flags and fragment offset (ip + 6) stay 0: DF clear, not a fragment.
  frame[ip + 8] = kTtl;
  frame[ip + 9] = kProtocolUdp;
  store_be32(frame.data() + ip + 12, addresses.source_address);
  store_be32(frame.data() + ip + 16, addresses.destination_address);
  InternetChecksum header_sum;
  header_sum.add(Bytes(frame).subspan(ip, kIpv4HeaderLength));
  store_be16(frame.data() + ip + 10, header_sum.finish());

  constexpr std::size_t udp = ip + kIpv4HeaderLength;
  store_be16(frame.data() + udp, addresses.source_port);
  store_be16(frame.data() + udp + 2, addresses.destination_port);
  store_be16(frame.data() + udp + 4, udp_length);
  std::copy(payload.begin(), payload.end(), frame.data() + udp + kUdpHeaderLength);
  InternetChecksum udp_sum;
  udp_sum.add32(addresses.source_address);
  udp_sum.add32(addresses.destination_address);
  udp_sum.add16(kProtocolUdp);
  udp_sum.add16(udp_length);
  udp_sum.add(Bytes(frame).subspan(udp));
  const std::uint16_t checksum = udp_sum.finish();
  // 0 in the field means "no checksum"; a computed 0 is sent as its complement.
  store_be16(frame.data() + udp + 6, checksum == 0 ? 0xffff : checksum);
  return frame;
}

}  // namespace calloutemu::pcap_replay
