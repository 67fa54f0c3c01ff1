// Writing the server's replies: BOOTREPLY messages, DHCP (option 53) or BOOTP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/result.h"

namespace calloutemu::dhcp {

struct ExtraOption {
  std::uint8_t code = 0;
  std::vector<std::uint8_t> data;  // at most 255 bytes
};

// What the server decided; addresses and times in host order.
struct ReplySpec {
  std::optional<MessageType> message_type;  // nullopt: a BOOTP reply, no option 53
  std::uint32_t ciaddr = 0;
  std::uint32_t yiaddr = 0;
  std::uint32_t siaddr = 0;
  std::optional<std::uint32_t> server_identifier;  // 54
  std::optional<std::uint32_t> lease_time;         // 51
  std::optional<std::uint32_t> renewal_time;       // 58
  std::optional<std::uint32_t> rebinding_time;     // 59
  std::optional<std::uint32_t> subnet_mask;        // 1
  std::vector<std::uint32_t> routers;              // 3, omitted when empty
  std::vector<std::uint32_t> dns_servers;          // 6, omitted when empty
  std::string domain_name;                         // 15, omitted when empty
  std::vector<ExtraOption> extra_options;          // written last, in this order
  std::string server_name;                         // sname, NUL-terminated: at most 63
  std::string boot_file;                           // file, NUL-terminated: at most 127
};

// Writes the reply to `request` at the start of `out` and returns its size.
// op = 2; htype, hlen, xid, flags, giaddr and chaddr are the request's; hops
// and secs are 0. After the magic cookie come the options, in this order: 53,
// 54, 51, 58, 59, 1, 3, 6, 15, then every occurrence of 82 in the request
// (echoed verbatim, RFC 3046 §2.2), then the extras; then end. The message is
// padded with zeros to the 300-byte BOOTP minimum.
//
// Fails, writing nothing, when `out` is too small (the server's send buffer
// is kServerBufferSize bytes), when an option value is over 255 bytes, when
// an extra option's code is 0 or 255, or when a name does not fit its field.
Result<std::size_t> build_reply(const MessageView& request, const ReplySpec& reply,
                                std::span<std::uint8_t> out);

}  // namespace calloutemu::dhcp
