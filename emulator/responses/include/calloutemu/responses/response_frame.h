// The Ethernet/IPv4/UDP frames around what the server sends (a response, as
// PktSend left it) and around what it received (a request, as captured).
// The addressing rules and the MAC addresses are explained in README.md.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "calloutemu/pcap_replay/udp_frame.h"
#include "calloutemu/result.h"
#include "calloutemu/server/request.h"

namespace calloutemu::responses {

using pcap_replay::MacAddress;

// The server's MAC: locally administered (02:...), 0x43 for port 67. A
// request carries no link-layer addresses, so the captured server's is unknown.
inline constexpr MacAddress kServerMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x43};
// A request's sender whose MAC the request does not tell: a relay agent, or a
// client whose chaddr is not an Ethernet address. 0x44 for port 68.
inline constexpr MacAddress kUnknownSenderMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x44};
inline constexpr MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

inline constexpr std::uint16_t kServerPort = 67;
inline constexpr std::uint16_t kClientPort = 68;
inline constexpr std::uint32_t kLimitedBroadcast = 0xFFFFFFFF;

// Which rule of RFC 2131 §4.1 addressed a response, in the order they are tried.
enum class Delivery : std::uint8_t {
  relay_agent,      // giaddr is set: to giaddr, port 67, link broadcast
  nak_broadcast,    // a NAK: 255.255.255.255
  client_address,   // ciaddr is set: to ciaddr, port 68
  broadcast_flag,   // the client asked for a broadcast: 255.255.255.255
  your_address,     // to yiaddr and the client's Ethernet chaddr, port 68
  broadcast_other,  // no unicast possible (yiaddr 0, chaddr not Ethernet): 255.255.255.255
};
std::string_view to_string(Delivery delivery);

struct ResponseAddressing {
  Delivery delivery = Delivery::broadcast_other;
  pcap_replay::UdpFrameAddresses addresses;
};

// Addresses a response from `server_address` (host order), port 67, MAC
// kServerMac. The rules read giaddr, ciaddr, flags, yiaddr, htype, hlen and
// chaddr from the response when it holds the 236-byte fixed header, else from
// the request (a field the request is too short for reads as 0); a NAK is
// recognised by the response's option 53. Every read is bounds-checked.
ResponseAddressing address_response(const server::Request& request, std::uint32_t server_address,
                                    std::span<const std::uint8_t> response);

// The address the response is sent from, when the caller does not know the
// interface's: the response's option 54 (server identifier, 4 bytes) when it
// has one; for a BOOTP reply (no option 53), siaddr when set; else the
// request's destination when that is unicast; else 0.0.0.0.
std::uint32_t response_source_address(const server::Request& request,
                                      std::span<const std::uint8_t> response);

// The response in a frame addressed by address_response, with valid IPv4 and
// UDP checksums and the bytes exactly as given. Error: over the IPv4 maximum.
Result<std::vector<std::uint8_t>> response_frame(const server::Request& request,
                                                 std::uint32_t server_address,
                                                 std::span<const std::uint8_t> response,
                                                 std::uint16_t ip_id = 0);

// How a request came in, rebuilt from its captured addresses and payload:
// source port 67 when giaddr is set (a relay sends from the server port),
// else 68; destination port 67. Source MAC: chaddr for an Ethernet chaddr
// (htype 1, hlen 6) not relayed, else kUnknownSenderMac. Destination MAC:
// kServerMac for a unicast destination, else broadcast. Fields the payload is
// too short for read as 0.
pcap_replay::UdpFrameAddresses request_addressing(const server::Request& request);

// The request in a frame addressed by request_addressing.
Result<std::vector<std::uint8_t>> request_frame(const server::Request& request,
                                                std::uint16_t ip_id = 0);

// Not 0.0.0.0, not multicast, not the limited broadcast or class E.
bool is_unicast(std::uint32_t address);

}  // namespace calloutemu::responses
