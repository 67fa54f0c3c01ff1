// A datagram and its parse kept together, so the view never outlives its
// bytes: ParsedMessage(PacketMaker()...bytes()).options is safe.
#pragma once

#include "calloutemu/dhcp/message.h"
#include "packet_maker.h"

namespace calloutemu::dhcp::testing {

// Holds the bytes in a base, so they exist before the MessageView base is
// parsed from them.
struct OwnedBytes {
  Bytes owned;
};

class ParsedMessage : private OwnedBytes, public MessageView {
 public:
  // A test failure when the bytes do not parse.
  explicit ParsedMessage(Bytes datagram);
  ParsedMessage(const ParsedMessage&) = delete;
  ParsedMessage& operator=(const ParsedMessage&) = delete;
};

}  // namespace calloutemu::dhcp::testing
