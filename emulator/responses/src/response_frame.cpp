#include "calloutemu/responses/response_frame.h"

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/wire_format.h"
#include "header_fields.h"

namespace calloutemu::responses {
namespace {

constexpr std::uint32_t kFirstMulticast = 0xE0000000;  // 224.0.0.0

bool is_nak(std::span<const std::uint8_t> response) {
  auto message = dhcp::parse_message(response);
  return message && message->message_type() == dhcp::MessageType::nak;
}

ResponseAddressing to_client(Delivery delivery, std::uint32_t destination,
                             const MacAddress& destination_mac) {
  ResponseAddressing addressing;
  addressing.delivery = delivery;
  addressing.addresses.destination_address = destination;
  addressing.addresses.destination_mac = destination_mac;
  addressing.addresses.destination_port = kClientPort;
  return addressing;
}

ResponseAddressing route(const HeaderFields& fields, bool nak) {
  if (fields.giaddr != 0) {
    // The relay's MAC would come from ARP, which a capture does not hold.
    ResponseAddressing addressing;
    addressing.delivery = Delivery::relay_agent;
    addressing.addresses.destination_address = fields.giaddr;
    addressing.addresses.destination_mac = kBroadcastMac;
    addressing.addresses.destination_port = kServerPort;
    return addressing;
  }
  if (nak) {
    return to_client(Delivery::nak_broadcast, kLimitedBroadcast, kBroadcastMac);
  }
  const auto client_mac = fields.ethernet_address();
  if (fields.ciaddr != 0) {
    return to_client(Delivery::client_address, fields.ciaddr, client_mac.value_or(kBroadcastMac));
  }
  if ((fields.flags & dhcp::kBroadcastFlag) != 0) {
    return to_client(Delivery::broadcast_flag, kLimitedBroadcast, kBroadcastMac);
  }
  if (fields.yiaddr != 0 && client_mac) {
    return to_client(Delivery::your_address, fields.yiaddr, *client_mac);
  }
  return to_client(Delivery::broadcast_other, kLimitedBroadcast, kBroadcastMac);
}

}  // namespace

std::string_view to_string(Delivery delivery) {
  switch (delivery) {
    case Delivery::relay_agent:
      return "relay agent";
    case Delivery::nak_broadcast:
      return "NAK broadcast";
    case Delivery::client_address:
      return "client address";
    case Delivery::broadcast_flag:
      return "broadcast flag";
    case Delivery::your_address:
      return "your address";
    case Delivery::broadcast_other:
      return "broadcast";
  }
  return "unknown";
}

bool is_unicast(std::uint32_t address) {
  return address != 0 && address < kFirstMulticast;
}

ResponseAddressing address_response(const server::Request& request, std::uint32_t server_address,
                                    std::span<const std::uint8_t> response) {
  const bool whole_header = response.size() >= dhcp::kFixedHeaderSize;
  const HeaderFields fields = read_header_fields(whole_header ? response : request.payload);
  ResponseAddressing addressing = route(fields, is_nak(response));
  addressing.addresses.source_mac = kServerMac;
  addressing.addresses.source_address = server_address;
  addressing.addresses.source_port = kServerPort;
  return addressing;
}

std::uint32_t response_source_address(const server::Request& request,
                                      std::span<const std::uint8_t> response) {
  if (auto message = dhcp::parse_message(response)) {
    const auto identifier = message->find_option_data(dhcp::option::server_identifier);
    if (identifier && identifier->size() == 4) {
      return load_be32(identifier->data());
    }
    // A BOOTP reply has no option 54; the server names itself in siaddr (RFC 951).
    if (message->is_bootp() && message->siaddr != 0) {
      return message->siaddr;
    }
  }
  return is_unicast(request.destination_address) ? request.destination_address : 0;
}

Result<std::vector<std::uint8_t>> response_frame(const server::Request& request,
                                                 std::uint32_t server_address,
                                                 std::span<const std::uint8_t> response,
                                                 std::uint16_t ip_id) {
  ResponseAddressing addressing = address_response(request, server_address, response);
  addressing.addresses.ip_id = ip_id;
  return pcap_replay::build_udp_frame(addressing.addresses, response);
}

}  // namespace calloutemu::responses
