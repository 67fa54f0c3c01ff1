#include "calloutemu/dhcp/validation.h"

#include <algorithm>

#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp {
namespace {

bool is_four_byte_option(std::uint8_t code) {
  return std::find(std::begin(kFourByteOptions), std::end(kFourByteOptions), code) !=
         std::end(kFourByteOptions);
}

}  // namespace

std::string_view to_string(InvalidReason reason) {
  switch (reason) {
    case InvalidReason::shorter_than_header:
      return "the datagram is shorter than the 236-byte fixed header";
    case InvalidReason::not_a_request:
      return "op is not BOOTREQUEST";
    case InvalidReason::hardware_address_too_long:
      return "hlen is over 16";
    case InvalidReason::option_overrun:
      return "an option runs past the end of its area";
    case InvalidReason::address_option_length:
      return "option 1, 50, 51, 3 or 54 is not exactly 4 bytes long";
  }
  return "unknown";
}

namespace {

// The first reason as its number, or kNoReason: an int comes back in a
// register, where an optional is built on the stack and read back at once.
constexpr int kNoReason = -1;

int first_reason(const MessageView& message) {
  const auto number = [](InvalidReason reason) { return static_cast<int>(reason); };
  if (message.bytes.size() < kFixedHeaderSize) {
    return number(InvalidReason::shorter_than_header);
  }
  if (message.op != kBootRequest) {
    return number(InvalidReason::not_a_request);
  }
  if (message.hlen > kChaddrSize) {
    return number(InvalidReason::hardware_address_too_long);
  }
  if (message.overrun) {
    return number(InvalidReason::option_overrun);
  }
  const bool bad_length = std::any_of(
      message.options.begin(), message.options.end(),
      [](const OptionRef& each) { return is_four_byte_option(each.code) && each.length != 4; });
  if (bad_length) {
    return number(InvalidReason::address_option_length);
  }
  return kNoReason;
}

}  // namespace

std::optional<InvalidReason> why_invalid(const MessageView& message) {
  const int reason = first_reason(message);
  return reason == kNoReason ? std::nullopt : std::optional(static_cast<InvalidReason>(reason));
}

bool is_invalid(const MessageView& message) {
  return first_reason(message) != kNoReason;
}

std::optional<InvalidReason> why_invalid(std::span<const std::uint8_t> datagram) {
  auto message = parse_message(datagram);
  if (!message) {
    return InvalidReason::shorter_than_header;
  }
  return why_invalid(*message);
}

bool is_reply(const MessageView& message) {
  return message.bytes.size() >= kFixedHeaderSize && message.op == kBootReply;
}

bool is_reply(std::span<const std::uint8_t> datagram) {
  return datagram.size() >= kFixedHeaderSize && datagram[kOpOffset] == kBootReply;
}

}  // namespace calloutemu::dhcp
