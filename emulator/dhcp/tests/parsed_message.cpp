#include "parsed_message.h"

#include <gtest/gtest.h>

namespace calloutemu::dhcp::testing {
namespace {

MessageView parse_or_fail(const Bytes& bytes) {
  auto message = parse_message(bytes);
  EXPECT_TRUE(message) << message.error().message;
  return message ? *message : MessageView{};
}

}  // namespace

ParsedMessage::ParsedMessage(Bytes datagram)
    : OwnedBytes{std::move(datagram)}, MessageView(parse_or_fail(owned)) {}

}  // namespace calloutemu::dhcp::testing
