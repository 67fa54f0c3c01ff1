// Requests and responses for the tests, and independent checks of the frames.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/server/request.h"
#include "packet_maker.h"

namespace calloutemu::responses::testing {

using Bytes = std::vector<std::uint8_t>;

// 192.0.2.host in host order.
constexpr std::uint32_t net(std::uint8_t host) {
  return 0xC0000200u | host;
}
inline constexpr std::uint32_t kServer = net(1);
inline constexpr std::uint32_t kRelay = 0xC6336401;  // 198.51.100.1
inline constexpr std::array<std::uint8_t, 6> kClientMac = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

// A BOOTREQUEST from the PacketMaker (chaddr kClientMac) with option 53.
dhcp::testing::PacketMaker request_maker(dhcp::MessageType type);

// The server's reply to `request` as dhcp::build_reply writes it: option 54
// (when given), 51, then `extra` options.
Bytes reply_to(const Bytes& request, std::optional<dhcp::MessageType> type, std::uint32_t yiaddr,
               std::optional<std::uint32_t> server_identifier = kServer,
               const std::vector<std::pair<std::uint8_t, Bytes>>& extra = {});

// A captured request: number 1, from `source` to `destination`.
server::Request captured(const Bytes& payload, std::uint32_t source = 0,
                         std::uint32_t destination = 0xFFFFFFFF);

// The frame's IPv4 header checksum and UDP checksum (pseudo-header
// included) both verify; the frame is Ethernet + IPv4 without options.
bool checksums_hold(std::span<const std::uint8_t> frame);

}  // namespace calloutemu::responses::testing
