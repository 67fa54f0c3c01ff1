// Hand-built BOOTP/DHCP datagrams: every byte where the test puts it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace calloutemu::dhcp::testing {

using Bytes = std::vector<std::uint8_t>;

// code, length, data: one option as it sits in the area.
Bytes tlv(std::uint8_t code, const Bytes& data);

// Starts as a 240-byte BOOTREQUEST: htype 1, hlen 6, hops 0, xid 0x12345678,
// chaddr 02:00:5e:10:20:30, all else zero, the magic cookie, no options and
// no end option. Setters write in place; appends go to the end of the datagram.
class PacketMaker {
 public:
  PacketMaker();

  PacketMaker& byte_at(std::size_t offset, std::uint8_t value);
  PacketMaker& u16_at(std::size_t offset, std::uint16_t value);
  PacketMaker& u32_at(std::size_t offset, std::uint32_t value);
  PacketMaker& bytes_at(std::size_t offset, const Bytes& bytes);

  PacketMaker& op(std::uint8_t value);
  PacketMaker& hlen(std::uint8_t value);
  PacketMaker& xid(std::uint32_t value);
  PacketMaker& chaddr(const Bytes& address);
  // Cuts the vendor area off: a 236-byte datagram.
  PacketMaker& no_vendor_area();

  PacketMaker& option(std::uint8_t code, const Bytes& data);
  PacketMaker& raw(const Bytes& bytes);
  PacketMaker& end();

  // Offset of the next byte option(), raw() or end() appends.
  std::size_t size() const { return bytes_.size(); }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

}  // namespace calloutemu::dhcp::testing
