// A datagram the server receives, and a reply its captured counterpart sent.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/result.h"

namespace calloutemu::server {

// Where a datagram came from in the captures.
struct CaptureOrigin {
  std::uint64_t frame_number = 0;   // 1-based in its file
  std::size_t file_index = 0;       // which --pcap
  std::chrono::nanoseconds time{};  // capture time since the Unix epoch
};

struct Request {
  std::uint64_t number = 0;  // 1-based: every datagram handed to the server counts
  CaptureOrigin origin;
  std::uint32_t source_address = 0;       // host order
  std::uint32_t destination_address = 0;  // host order
  std::span<const std::uint8_t> payload;  // the UDP payload
};

// What identifies a DHCP transaction in a capture: xid and client hardware
// address (hlen bytes of chaddr, at most 16).
struct TransactionKey {
  std::uint32_t xid = 0;
  std::uint8_t hlen = 0;
  std::array<std::uint8_t, 16> chaddr{};

  friend bool operator==(const TransactionKey&, const TransactionKey&) = default;
};
struct TransactionKeyHash {
  std::size_t operator()(const TransactionKey& key) const;
};
// Read from the fixed header; nullopt when the datagram is shorter than it.
std::optional<TransactionKey> transaction_key(std::span<const std::uint8_t> datagram);

// A BOOTREPLY found in the capture: the captured server's decision.
struct CapturedReply {
  CaptureOrigin origin;
  std::optional<dhcp::MessageType> message_type;   // nullopt: a BOOTP reply
  bool malformed_message_type = false;             // option 53 present but not 1 byte
  std::uint32_t yiaddr = 0;                        // host order
  std::uint32_t source_address = 0;                // host order
  std::optional<std::uint32_t> server_identifier;  // option 54, host order
  std::optional<std::uint32_t> lease_time;         // option 51
  std::vector<std::uint8_t> payload;               // the reply as sent

  // The server's address: option 54, else the datagram's source.
  std::uint32_t server_address() const { return server_identifier.value_or(source_address); }
};

// Reads a BOOTREPLY (op 2, at least the fixed header). Errors for anything else.
Result<CapturedReply> read_captured_reply(const CaptureOrigin& origin, std::uint32_t source_address,
                                          std::span<const std::uint8_t> datagram);

// Whether `reply` can answer a request of this type: DISCOVER ← OFFER,
// REQUEST ← ACK or NAK, INFORM ← ACK, BOOTP (no option 53) ← BOOTP reply.
bool answers(const CapturedReply& reply, std::optional<dhcp::MessageType> request_type,
             bool request_is_bootp);

}  // namespace calloutemu::server
