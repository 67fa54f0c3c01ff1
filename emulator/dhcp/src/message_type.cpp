#include "calloutemu/dhcp/message_type.h"

namespace calloutemu::dhcp {

std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::discover:
      return "DISCOVER";
    case MessageType::offer:
      return "OFFER";
    case MessageType::request:
      return "REQUEST";
    case MessageType::decline:
      return "DECLINE";
    case MessageType::ack:
      return "ACK";
    case MessageType::nak:
      return "NAK";
    case MessageType::release:
      return "RELEASE";
    case MessageType::inform:
      return "INFORM";
    case MessageType::leasequery:
      return "LEASEQUERY";
    case MessageType::leaseunassigned:
      return "LEASEUNASSIGNED";
    case MessageType::leaseunknown:
      return "LEASEUNKNOWN";
    case MessageType::leaseactive:
      return "LEASEACTIVE";
  }
  return "unknown";
}

bool is_served_request(MessageType type) {
  switch (type) {
    case MessageType::discover:
    case MessageType::request:
    case MessageType::decline:
    case MessageType::release:
    case MessageType::inform:
      return true;
    default:
      return false;
  }
}

}  // namespace calloutemu::dhcp
