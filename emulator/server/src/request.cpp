#include "calloutemu/server/request.h"

#include <algorithm>
#include <cstring>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/hash.h"

namespace calloutemu::server {

std::size_t TransactionKeyHash::operator()(const TransactionKey& key) const {
  // chaddr is zero past hlen by construction, so its two words are the key.
  std::uint64_t words[2];
  std::memcpy(words, key.chaddr.data(), sizeof words);
  std::uint64_t hash = mix_hash(key.xid ^ (std::uint64_t{key.hlen} << 32));
  hash = mix_hash(hash ^ words[0]);
  hash = mix_hash(hash ^ words[1]);
  return static_cast<std::size_t>(hash);
}

std::optional<TransactionKey> transaction_key(std::span<const std::uint8_t> datagram) {
  if (datagram.size() < dhcp::kFixedHeaderSize) {
    return std::nullopt;
  }
  TransactionKey key;
  key.xid = load_be32(datagram.data() + dhcp::kXidOffset);
  key.hlen = std::min<std::uint8_t>(datagram[dhcp::kHlenOffset], dhcp::kChaddrSize);
  std::memcpy(key.chaddr.data(), datagram.data() + dhcp::kChaddrOffset, key.hlen);
  return key;
}

Result<CapturedReply> read_captured_reply(const CaptureOrigin& origin, std::uint32_t source_address,
                                          std::span<const std::uint8_t> datagram) {
  auto view = dhcp::parse_message(datagram);
  if (!view) {
    return view.error();
  }
  if (!dhcp::is_reply(*view)) {
    return make_error("not a BOOTREPLY");
  }
  CapturedReply reply;
  reply.origin = origin;
  reply.message_type = view->message_type();
  reply.malformed_message_type = !reply.message_type && !view->is_bootp();
  reply.yiaddr = view->yiaddr;
  reply.source_address = source_address;
  auto four_bytes = [&](std::uint8_t code) -> std::optional<std::uint32_t> {
    const auto data = view->find_option_data(code);
    if (!data || data->size() != 4) {
      return std::nullopt;
    }
    return load_be32(data->data());
  };
  reply.server_identifier = four_bytes(dhcp::option::server_identifier);
  reply.lease_time = four_bytes(dhcp::option::lease_time);
  reply.payload.assign(datagram.begin(), datagram.end());
  return reply;
}

bool answers(const CapturedReply& reply, std::optional<dhcp::MessageType> request_type,
             bool request_is_bootp) {
  using dhcp::MessageType;
  if (reply.malformed_message_type) {
    return false;
  }
  if (request_is_bootp) {
    return !reply.message_type;
  }
  if (!request_type || !reply.message_type) {
    return false;
  }
  switch (*request_type) {
    case MessageType::discover:
      return *reply.message_type == MessageType::offer;
    case MessageType::request:
      return *reply.message_type == MessageType::ack || *reply.message_type == MessageType::nak;
    case MessageType::inform:
      return *reply.message_type == MessageType::ack;
    default:
      return false;
  }
}

}  // namespace calloutemu::server
