#include "sample_messages.h"

#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp::testing {
namespace {

Bytes text(std::string_view value) {
  return Bytes(value.begin(), value.end());
}

Bytes client_id() {
  return {0x01, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
}

Bytes padded_to_bootp_minimum(Bytes bytes) {
  if (bytes.size() < kMinimumBootpSize) {
    bytes.resize(kMinimumBootpSize, 0);
  }
  return bytes;
}

Bytes request() {
  return PacketMaker()
      .xid(0x0A0B0C0D)
      .option(option::message_type, {3})
      .option(option::client_identifier, client_id())
      .option(option::requested_address, {192, 0, 2, 10})
      .option(option::server_identifier, {192, 0, 2, 1})
      .option(option::host_name, text("host-1"))
      .option(option::parameter_request_list, {1, 3, 6, 15})
      .end()
      .bytes();
}

Bytes inform() {
  return PacketMaker()
      .u32_at(kCiaddrOffset, 0xC000020A)
      .option(option::message_type, {8})
      .option(option::vendor_class, text("MSFT 5.0"))
      .end()
      .bytes();
}

Bytes release() {
  return PacketMaker()
      .u32_at(kCiaddrOffset, 0xC000020A)
      .option(option::message_type, {7})
      .option(option::server_identifier, {192, 0, 2, 1})
      .end()
      .bytes();
}

Bytes decline() {
  return PacketMaker()
      .option(option::message_type, {4})
      .option(option::requested_address, {192, 0, 2, 10})
      .option(option::server_identifier, {192, 0, 2, 1})
      .end()
      .bytes();
}

// RFC 951: a 64-byte vendor area without the cookie.
Bytes bootp_without_cookie() {
  return padded_to_bootp_minimum(PacketMaker().no_vendor_area().bytes());
}

Bytes bootp_with_cookie() {
  return padded_to_bootp_minimum(
      PacketMaker().option(option::host_name, text("bootp")).end().bytes());
}

// Option 52 = 3: the options continue in file, then in sname.
Bytes overloaded_discover() {
  Bytes file = tlv(option::requested_address, {192, 0, 2, 20});
  file.push_back(option::end);
  Bytes sname = tlv(option::host_name, text("overloaded"));
  sname.push_back(option::end);
  return PacketMaker()
      .bytes_at(kFileOffset, file)
      .bytes_at(kSnameOffset, sname)
      .option(option::message_type, {1})
      .option(option::overload, {overload::both})
      .end()
      .bytes();
}

}  // namespace

Bytes rich_discover() {
  return PacketMaker()
      .byte_at(kHopsOffset, 1)
      .u16_at(kSecsOffset, 3)
      .u16_at(kFlagsOffset, kBroadcastFlag)
      .u32_at(kGiaddrOffset, 0xC6336401)
      .option(option::message_type, {1})
      .option(option::client_identifier, client_id())
      .option(option::requested_address, {192, 0, 2, 10})
      .option(option::lease_time, {0, 0, 0x0E, 0x10})
      .option(option::host_name, text("host-1"))
      .option(option::parameter_request_list, {1, 3, 6, 15, 43})
      .option(option::vendor_class, text("MSFT 5.0"))
      .option(option::user_class, text("lab"))
      .option(option::client_fqdn, {0x05, 0, 0, 'h', '.', 'e', 'x'})
      .option(option::vendor_specific, {94, 0, 95, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e'})
      .option(option::relay_agent_information, {1, 4, 'e', 't', 'h', '0'})
      .end()
      .bytes();
}

std::vector<SampleMessage> sample_messages() {
  return {
      {"discover_relayed", rich_discover()},
      {"discover_overloaded", overloaded_discover()},
      {"request", request()},
      {"inform", inform()},
      {"release", release()},
      {"decline", decline()},
      {"bootp_without_cookie", bootp_without_cookie()},
      {"bootp_with_cookie", bootp_with_cookie()},
  };
}

}  // namespace calloutemu::dhcp::testing
