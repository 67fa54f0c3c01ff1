// The BOOTP header fields that decide how a datagram is addressed, read
// without trusting the datagram's length.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "calloutemu/pcap_replay/udp_frame.h"

namespace calloutemu::responses {

struct HeaderFields {
  std::uint8_t htype = 0;
  std::uint8_t hlen = 0;
  std::uint16_t flags = 0;
  std::uint32_t ciaddr = 0;  // host order
  std::uint32_t yiaddr = 0;
  std::uint32_t giaddr = 0;
  std::optional<pcap_replay::MacAddress> chaddr;  // the first 6 bytes, when present

  // chaddr when htype is 1 (Ethernet) and hlen 6.
  std::optional<pcap_replay::MacAddress> ethernet_address() const;
};

// Each field that `datagram` holds; the others stay 0 (chaddr: nullopt).
HeaderFields read_header_fields(std::span<const std::uint8_t> datagram);

}  // namespace calloutemu::responses
