// The BOOTP/DHCPv4 message layout (RFC 951, RFC 2131) and the option codes the
// server model reads or writes (RFC 2132 and later).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace calloutemu::dhcp {

// Fixed header fields: byte offsets and sizes.
inline constexpr std::size_t kOpOffset = 0;
inline constexpr std::size_t kHtypeOffset = 1;
inline constexpr std::size_t kHlenOffset = 2;
inline constexpr std::size_t kHopsOffset = 3;
inline constexpr std::size_t kXidOffset = 4;
inline constexpr std::size_t kSecsOffset = 8;
inline constexpr std::size_t kFlagsOffset = 10;
inline constexpr std::size_t kCiaddrOffset = 12;
inline constexpr std::size_t kYiaddrOffset = 16;
inline constexpr std::size_t kSiaddrOffset = 20;
inline constexpr std::size_t kGiaddrOffset = 24;
inline constexpr std::size_t kChaddrOffset = 28;
inline constexpr std::size_t kChaddrSize = 16;
inline constexpr std::size_t kSnameOffset = 44;
inline constexpr std::size_t kSnameSize = 64;
inline constexpr std::size_t kFileOffset = 108;
inline constexpr std::size_t kFileSize = 128;
inline constexpr std::size_t kFixedHeaderSize = 236;

// The vendor area (RFC 951) follows the fixed header; in DHCP it starts with
// the magic cookie and holds the options after it (RFC 2131 §3).
inline constexpr std::size_t kMagicCookieOffset = kFixedHeaderSize;
inline constexpr std::array<std::uint8_t, 4> kMagicCookie = {99, 130, 83, 99};
inline constexpr std::size_t kOptionsOffset = kMagicCookieOffset + kMagicCookie.size();

// The smallest BOOTP message (RFC 951: a 64-byte vendor area), so the size
// replies are padded to (RFC 1542 §2.1).
inline constexpr std::size_t kMinimumBootpSize = 300;

// The server's receive and send buffers (spec §3, §4).
inline constexpr std::size_t kServerBufferSize = 4096;

inline constexpr std::uint8_t kBootRequest = 1;
inline constexpr std::uint8_t kBootReply = 2;

// The broadcast bit of `flags` (RFC 2131 §2).
inline constexpr std::uint16_t kBroadcastFlag = 0x8000;

namespace option {
inline constexpr std::uint8_t pad = 0;
inline constexpr std::uint8_t subnet_mask = 1;
inline constexpr std::uint8_t router = 3;
inline constexpr std::uint8_t dns_servers = 6;
inline constexpr std::uint8_t host_name = 12;
inline constexpr std::uint8_t domain_name = 15;
inline constexpr std::uint8_t vendor_specific = 43;
inline constexpr std::uint8_t requested_address = 50;
inline constexpr std::uint8_t lease_time = 51;
inline constexpr std::uint8_t overload = 52;
inline constexpr std::uint8_t message_type = 53;
inline constexpr std::uint8_t server_identifier = 54;
inline constexpr std::uint8_t parameter_request_list = 55;
inline constexpr std::uint8_t renewal_time = 58;
inline constexpr std::uint8_t rebinding_time = 59;
inline constexpr std::uint8_t vendor_class = 60;
inline constexpr std::uint8_t client_identifier = 61;
inline constexpr std::uint8_t user_class = 77;
inline constexpr std::uint8_t client_fqdn = 81;
inline constexpr std::uint8_t relay_agent_information = 82;
inline constexpr std::uint8_t end = 255;
}  // namespace option

// Option 52's values: which header fields carry options too.
namespace overload {
inline constexpr std::uint8_t file = 1;
inline constexpr std::uint8_t sname = 2;
inline constexpr std::uint8_t both = 3;
}  // namespace overload

// Microsoft's sub-options inside option 43, as DHCP_SERVER_OPTIONS reports them.
namespace microsoft_suboption {
inline constexpr std::uint8_t ds_domain_name_requested = 94;
inline constexpr std::uint8_t ds_domain_name = 95;
}  // namespace microsoft_suboption

}  // namespace calloutemu::dhcp
