// DHCP_SERVER_OPTIONS: what the server hands the HandleOptions hook, and what
// it reads back afterwards (spec §1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcpssdk.h"

namespace calloutemu::dhcp {

// DNSFlags when the request has no option 81 (the spec's value: 0xFFFF, not
// 0xFFFFFFFF).
inline constexpr DWORD kNoDnsFlags = 0xFFFF;

// Fills `options` as the server does before HandleOptions: zeroed, then each
// pointer set to its option's data inside the request buffer, so values stay
// in network order. Each member comes from the option's first occurrence (see
// MessageView on RFC 3396).
//
// - A value with no bytes (a zero-length option, or the empty remainder of 61
//   or 81) leaves its pointer NULL and its length 0: no pointer a callout gets
//   points past the data it describes, or past the datagram.
// - The DWORD members (SubnetMask, RequestedAddress, RequestLeaseTime,
//   RouterAddress, Server) are set only when their option is exactly 4 bytes;
//   any other length makes the request INVALID before HandleOptions runs.
// - MessageType points at option 53 whatever its length (NULL when it is
//   absent or empty); read_back_server_options() still knows a malformed 53.
// - Option 81 with no bytes sends no flags: DNSFlags stays kNoDnsFlags.
// - Option 43 is read as sub-options (code, length, data; 0 pads, 255 ends)
//   up to the first one that runs past its end; sub-option 94 present sets
//   DSDomainNameRequested, sub-option 95 gives DSDomainName.
//
// The pointers are not const because the SDK's are not: a callout may write
// through them, so `request.bytes` must be writable memory (it is the
// server's receive buffer).
void fill_server_options(const MessageView& request, DHCP_SERVER_OPTIONS& options);

// The members (by name, "SubnetMask", ...) whose non-NULL pointer does not
// have its whole value inside `datagram`: the 4-byte addresses and times,
// MessageType and OverlayFields (1 byte), and each byte string with its
// length member. ScopeId is not checked (the server never sets it). Right
// after fill_server_options() the list is empty.
std::vector<std::string_view> members_outside(const DHCP_SERVER_OPTIONS& options,
                                              std::span<const std::uint8_t> datagram);

// What DHCP_SERVER_OPTIONS says after a hook ran: a callout's edits take
// effect, in place or by pointing a member somewhere else. Addresses and
// times are in host order; byte strings are copied.
//
// Reading a member's pointer:
// - NULL: the member is absent (nullopt), whatever its length says.
// - Into the request datagram: read only when the whole value lies inside
//   it; otherwise the member is listed in `unreadable` and reads as absent.
// - Anywhere else (a callout's own memory, or the rest of the server's
//   buffer): read, as the server would. A wild pointer faults here as it
//   would in the server, so the caller reads back under its fault trap. A
//   length over kMaxReadBackLength there is not read: listed as unreadable.
struct ServerOptionsReadBack {
  // nullopt with malformed_message_type false: a BOOTP request.
  std::optional<MessageType> message_type;
  // MessageType still as filled and the request's option 53 not 1 byte long
  // (or, defensively, its byte unreadable): "any other type" for the server.
  bool malformed_message_type = false;
  std::optional<std::uint32_t> subnet_mask;
  std::optional<std::uint32_t> requested_address;
  std::optional<std::uint32_t> lease_time;
  std::optional<std::uint8_t> overlay_fields;
  std::optional<std::uint32_t> router_address;
  std::optional<std::uint32_t> server_identifier;
  std::optional<std::vector<std::uint8_t>> parameter_request_list;
  std::optional<std::string> machine_name;
  std::uint8_t client_hardware_address_type = 0;
  std::optional<std::vector<std::uint8_t>> client_hardware_address;
  std::optional<std::string> class_identifier;
  std::optional<std::vector<std::uint8_t>> vendor_class;
  std::uint32_t dns_flags = 0;
  std::optional<std::vector<std::uint8_t>> dns_name;
  bool ds_domain_name_requested = false;
  std::optional<std::string> ds_domain_name;
  std::optional<std::uint32_t> scope_id;
  // Member names ("SubnetMask", ...) whose value could not be read.
  std::vector<std::string_view> unreadable;

  bool is_bootp() const { return !message_type && !malformed_message_type; }

  friend bool operator==(const ServerOptionsReadBack&, const ServerOptionsReadBack&) = default;
};

inline constexpr std::size_t kMaxReadBackLength = 65535;

// `request` is the parse of the buffer `options` was filled from.
ServerOptionsReadBack read_back_server_options(const DHCP_SERVER_OPTIONS& options,
                                               const MessageView& request);
// The same into `out`, reusing the storage its strings and vectors have.
void read_back_server_options(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                              ServerOptionsReadBack& out);
// The same, reading nothing outside `request.bytes`: when the datagram is the
// server's own buffer it cannot fault, so it needs no fault trap. False when
// a non-NULL pointer (ScopeId's too) starts outside the datagram: that member
// was not read and `out` is incomplete; read back again under the trap. A
// pointer into the datagram whose value runs past its end is not read either,
// only listed in `unreadable`, as read_back_server_options() lists it.
bool read_back_server_options_inside(const DHCP_SERVER_OPTIONS& options, const MessageView& request,
                                     ServerOptionsReadBack& out);

}  // namespace calloutemu::dhcp
