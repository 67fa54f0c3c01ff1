#include "calloutemu/responses/response_frame.h"
#include "header_fields.h"

namespace calloutemu::responses {

pcap_replay::UdpFrameAddresses request_addressing(const server::Request& request) {
  const HeaderFields fields = read_header_fields(request.payload);
  const bool relayed = fields.giaddr != 0;
  const auto client_mac = fields.ethernet_address();
  pcap_replay::UdpFrameAddresses addresses;
  addresses.source_mac = client_mac && !relayed ? *client_mac : kUnknownSenderMac;
  addresses.destination_mac = is_unicast(request.destination_address) ? kServerMac : kBroadcastMac;
  addresses.source_address = request.source_address;
  addresses.destination_address = request.destination_address;
  addresses.source_port = relayed ? kServerPort : kClientPort;
  addresses.destination_port = kServerPort;
  return addresses;
}

Result<std::vector<std::uint8_t>> request_frame(const server::Request& request,
                                                std::uint16_t ip_id) {
  pcap_replay::UdpFrameAddresses addresses = request_addressing(request);
  addresses.ip_id = ip_id;
  return pcap_replay::build_udp_frame(addresses, request.payload);
}

}  // namespace calloutemu::responses
