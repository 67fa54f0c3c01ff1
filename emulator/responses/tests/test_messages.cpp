#include "test_messages.h"

#include <gtest/gtest.h>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/message_builder.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::responses::testing {
namespace {

std::uint32_t sum16(std::span<const std::uint8_t> bytes, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    const std::uint32_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += (std::uint32_t{bytes[i]} << 8) | low;
  }
  return sum;
}

std::uint16_t fold(std::uint32_t sum) {
  while (sum > 0xFFFF) {
    sum = (sum & 0xFFFF) + (sum >> 16);
  }
  return static_cast<std::uint16_t>(sum);
}

}  // namespace

dhcp::testing::PacketMaker request_maker(dhcp::MessageType type) {
  dhcp::testing::PacketMaker maker;
  maker.option(dhcp::option::message_type, {static_cast<std::uint8_t>(type)});
  return maker;
}

Bytes reply_to(const Bytes& request, std::optional<dhcp::MessageType> type, std::uint32_t yiaddr,
               std::optional<std::uint32_t> server_identifier,
               const std::vector<std::pair<std::uint8_t, Bytes>>& extra) {
  auto view = dhcp::parse_message(request);
  EXPECT_TRUE(view) << view.error().message;
  if (!view) {
    return {};
  }
  dhcp::ReplySpec spec;
  spec.message_type = type;
  spec.yiaddr = yiaddr;
  spec.server_identifier = server_identifier;
  spec.lease_time = 3600;
  for (const auto& [code, data] : extra) {
    spec.extra_options.push_back({code, data});
  }
  Bytes out(dhcp::kServerBufferSize);
  auto size = dhcp::build_reply(*view, spec, out);
  EXPECT_TRUE(size) << size.error().message;
  out.resize(size ? *size : 0);
  return out;
}

server::Request captured(const Bytes& payload, std::uint32_t source, std::uint32_t destination) {
  server::Request request;
  request.number = 1;
  request.source_address = source;
  request.destination_address = destination;
  request.payload = payload;
  return request;
}

bool checksums_hold(std::span<const std::uint8_t> frame) {
  if (frame.size() < 42) {
    return false;
  }
  const auto ip = frame.subspan(14);
  if (fold(sum16(ip.first(20))) != 0xFFFF) {
    return false;
  }
  const auto udp = ip.subspan(20);
  std::uint32_t pseudo = sum16(ip.subspan(12, 8));  // source and destination
  pseudo += 17 + static_cast<std::uint32_t>(udp.size());
  return fold(sum16(udp, pseudo)) == 0xFFFF;
}

}  // namespace calloutemu::responses::testing
