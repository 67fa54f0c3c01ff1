// Reading a BOOTP/DHCPv4 datagram: the fixed header and where each option is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/result.h"

namespace calloutemu::dhcp {

// Where an option was found. Options are read in this order: the options
// field, then `file`, then `sname` when option 52 says they hold options too
// (RFC 2131 §4.1).
enum class OptionArea : std::uint8_t { options, file, sname };
std::string_view to_string(OptionArea area);

// One occurrence of an option. Its data is bytes [data_offset, data_offset +
// length) of the datagram; its code byte is at data_offset - 2.
struct OptionRef {
  std::uint8_t code = 0;
  OptionArea area = OptionArea::options;
  std::size_t data_offset = 0;
  std::size_t length = 0;

  friend bool operator==(const OptionRef&, const OptionRef&) = default;
};

// An option whose length byte is missing, or whose data runs past the end of
// its area (the datagram for the options field, the field itself for `file`
// and `sname`). Reading that area stops there.
struct OptionOverrun {
  std::uint8_t code = 0;
  OptionArea area = OptionArea::options;
  std::size_t code_offset = 0;

  friend bool operator==(const OptionOverrun&, const OptionOverrun&) = default;
};

// A parsed datagram. It is a view: `bytes` and every offset refer to the
// buffer that was parsed, which must outlive the view.
//
// Repeated options (RFC 3396): every occurrence is listed, in order, and
// find_option() returns the first. The parse does not concatenate them,
// because the server hands callouts a pointer into the request buffer for
// each option (DHCP_SERVER_OPTIONS), and a value split over several
// occurrences has no single place there; the server model therefore sees the
// first occurrence, as its callouts do. concatenated_option() gives the RFC
// 3396 value for callers that want the value rather than its place.
struct MessageView {
  std::span<const std::uint8_t> bytes;  // the whole datagram

  std::uint8_t op = 0;
  std::uint8_t htype = 0;
  std::uint8_t hlen = 0;
  std::uint8_t hops = 0;
  std::uint32_t xid = 0;
  std::uint16_t secs = 0;
  std::uint16_t flags = 0;
  // Addresses in host order: 192.0.2.1 is 0xC0000201.
  std::uint32_t ciaddr = 0;
  std::uint32_t yiaddr = 0;
  std::uint32_t siaddr = 0;
  std::uint32_t giaddr = 0;
  std::span<const std::uint8_t> chaddr;  // all 16 bytes
  std::span<const std::uint8_t> sname;   // all 64 bytes, options or not
  std::span<const std::uint8_t> file;    // all 128 bytes, options or not

  // Without the cookie the vendor area holds no options: a plain BOOTP
  // request (RFC 951), and `options` is empty.
  bool has_magic_cookie = false;
  // Option 52's value when it is honoured (in the options field, 1 byte long,
  // 1, 2 or 3: the first such occurrence); 0 otherwise.
  std::uint8_t overload = 0;
  std::vector<OptionRef> options;        // every occurrence, pad and end excluded
  std::optional<OptionOverrun> overrun;  // the first one found, if any
  // Where option 53's first occurrence is in `options` (kNoOption: absent).
  // The parse sets it: every request asks for its type several times.
  static constexpr std::size_t kNoOption = static_cast<std::size_t>(-1);
  std::size_t message_type_index = kNoOption;

  // The first hlen bytes of chaddr (all 16 when hlen is over 16).
  std::span<const std::uint8_t> client_hardware_address() const;

  bool file_holds_options() const;
  bool sname_holds_options() const;

  std::optional<OptionRef> find_option(std::uint8_t code) const;
  std::vector<OptionRef> find_all_options(std::uint8_t code) const;
  std::span<const std::uint8_t> option_data(const OptionRef& option) const;
  // The first occurrence's data; nullopt when the option is absent.
  std::optional<std::span<const std::uint8_t>> find_option_data(std::uint8_t code) const;
  // Every occurrence's data joined in order (RFC 3396); nullopt when absent.
  std::optional<std::vector<std::uint8_t>> concatenated_option(std::uint8_t code) const;

  // Option 53's byte when option 53 is present and exactly 1 byte long.
  std::optional<MessageType> message_type() const;
  // No option 53: a BOOTP request. Option 53 of another length is neither a
  // DHCP type nor BOOTP (message_type() is nullopt and is_bootp() false):
  // "any other type" for the server.
  bool is_bootp() const;
};

// Reads the fixed header and the options of `datagram`. Fails only when the
// datagram is shorter than the 236-byte fixed header; everything else that
// the server rejects (see validation.h) still parses as far as it can. Every
// read is bounds-checked; nothing throws.
Result<MessageView> parse_message(std::span<const std::uint8_t> datagram);
// A view of a temporary buffer would dangle at once.
Result<MessageView> parse_message(std::vector<std::uint8_t>&& datagram) = delete;
Result<MessageView> parse_message(const std::vector<std::uint8_t>&& datagram) = delete;
// The same into `message`, whose option list keeps its memory from one
// datagram to the next (the server's per-request parse allocates nothing).
// On failure `message` is left as an empty view.
std::optional<Error> parse_message_into(std::span<const std::uint8_t> datagram,
                                        MessageView& message);

}  // namespace calloutemu::dhcp
