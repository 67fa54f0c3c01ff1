// libFuzzer: parse, validate, fill DHCP_SERVER_OPTIONS, read it back and build
// a reply, on arbitrary bytes. Beyond the sanitizers, it traps when an
// invariant the server model relies on breaks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "calloutemu/dhcp/message_builder.h"
#include "calloutemu/dhcp/server_options.h"
#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"

namespace {

using namespace calloutemu::dhcp;

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_server_options(const std::vector<std::uint8_t>& bytes, const MessageView& message) {
  DHCP_SERVER_OPTIONS options;
  fill_server_options(message, options);
  require(members_outside(options, bytes).empty());

  const ServerOptionsReadBack untouched = read_back_server_options(options, message);
  require(untouched.unreadable.empty());
  require(untouched.message_type == message.message_type());
  require(untouched.is_bootp() == message.is_bootp());

  // A callout's edit: a pointer moved to the datagram's last byte.
  if (!bytes.empty()) {
    options.Server = reinterpret_cast<DWORD*>(const_cast<std::uint8_t*>(&bytes.back()));
    options.MachineName = reinterpret_cast<CHAR*>(const_cast<std::uint8_t*>(&bytes.back()));
    const ServerOptionsReadBack edited = read_back_server_options(options, message);
    require(!edited.server_identifier);
    require(edited.machine_name.has_value() == (options.MachineNameLength <= 1));
  }
}

void check_reply(const MessageView& message) {
  std::vector<std::uint8_t> reply(kServerBufferSize);
  ReplySpec spec;
  spec.message_type = MessageType::offer;
  spec.server_identifier = 0xC0000201;
  spec.lease_time = 3600;
  auto size = build_reply(message, spec, reply);
  if (!size) {
    return;  // many 82 occurrences can outgrow the send buffer
  }
  require(*size >= kMinimumBootpSize && *size <= reply.size());
  reply.resize(*size);
  auto parsed = parse_message(reply);
  require(parsed.ok());
  require(parsed->xid == message.xid && parsed->flags == message.flags);
  require(!parsed->overrun && parsed->message_type() == MessageType::offer);
  require(is_reply(*parsed));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The server's receive buffer is writable and holds at most 4096 bytes.
  if (size > kServerBufferSize) {
    return -1;
  }
  std::vector<std::uint8_t> bytes(data, data + size);
  const auto reason = why_invalid(std::span<const std::uint8_t>(bytes));
  const bool reply = is_reply(std::span<const std::uint8_t>(bytes));
  auto message = parse_message(bytes);
  if (!message) {
    require(reason == InvalidReason::shorter_than_header && !reply);
    return 0;
  }
  require(why_invalid(*message) == reason);
  require(is_invalid(*message) == reason.has_value());
  require(reply == (message->op == kBootReply));
  for (const OptionRef& each : message->options) {
    require(each.data_offset + each.length <= bytes.size());
  }
  check_server_options(bytes, *message);
  check_reply(*message);
  return 0;
}
