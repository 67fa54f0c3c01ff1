#include "header_fields.h"

#include <algorithm>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::responses {
namespace {

constexpr std::uint8_t kHtypeEthernet = 1;
constexpr std::uint8_t kEthernetLength = 6;

bool holds(std::span<const std::uint8_t> datagram, std::size_t offset, std::size_t size) {
  return datagram.size() >= offset + size;
}

std::uint32_t address_at(std::span<const std::uint8_t> datagram, std::size_t offset) {
  return holds(datagram, offset, 4) ? load_be32(datagram.data() + offset) : 0;
}

}  // namespace

std::optional<pcap_replay::MacAddress> HeaderFields::ethernet_address() const {
  if (htype != kHtypeEthernet || hlen != kEthernetLength) {
    return std::nullopt;
  }
  return chaddr;
}

HeaderFields read_header_fields(std::span<const std::uint8_t> datagram) {
  HeaderFields fields;
  if (holds(datagram, dhcp::kHtypeOffset, 1)) {
    fields.htype = datagram[dhcp::kHtypeOffset];
  }
  if (holds(datagram, dhcp::kHlenOffset, 1)) {
    fields.hlen = datagram[dhcp::kHlenOffset];
  }
  if (holds(datagram, dhcp::kFlagsOffset, 2)) {
    fields.flags = load_be16(datagram.data() + dhcp::kFlagsOffset);
  }
  fields.ciaddr = address_at(datagram, dhcp::kCiaddrOffset);
  fields.yiaddr = address_at(datagram, dhcp::kYiaddrOffset);
  fields.giaddr = address_at(datagram, dhcp::kGiaddrOffset);
  if (holds(datagram, dhcp::kChaddrOffset, kEthernetLength)) {
    pcap_replay::MacAddress mac{};
    std::copy_n(datagram.data() + dhcp::kChaddrOffset, mac.size(), mac.begin());
    fields.chaddr = mac;
  }
  return fields;
}

}  // namespace calloutemu::responses
