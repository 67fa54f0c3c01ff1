#include "calloutemu/pcap_replay/frame_decoder.h"

#include <algorithm>

#include "ipv4_udp.h"
#include "link_layer.h"

namespace calloutemu::pcap_replay {

DecodeResult decode_frame(int link_type, std::span<const std::uint8_t> captured,
                          std::uint32_t wire_length) {
  // A record whose captured length exceeds its wire length is corrupt: only
  // the bytes that were on the wire count.
  const Bytes frame = captured.first(std::min<std::size_t>(captured.size(), wire_length));
  auto start = find_ipv4(link_type, frame);
  if (const auto* reason = std::get_if<SkipReason>(&start)) {
    return *reason;
  }
  return decode_ipv4_udp(frame, std::get<Ipv4Start>(start));
}

}  // namespace calloutemu::pcap_replay
