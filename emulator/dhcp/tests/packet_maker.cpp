#include "packet_maker.h"

#include <algorithm>

#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::dhcp::testing {

Bytes tlv(std::uint8_t code, const Bytes& data) {
  Bytes out{code, static_cast<std::uint8_t>(data.size())};
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

PacketMaker::PacketMaker() : bytes_(kOptionsOffset, 0) {
  op(kBootRequest);
  byte_at(kHtypeOffset, 1);
  hlen(6);
  xid(0x12345678);
  chaddr({0x02, 0x00, 0x5e, 0x10, 0x20, 0x30});
  bytes_at(kMagicCookieOffset, Bytes(kMagicCookie.begin(), kMagicCookie.end()));
}

PacketMaker& PacketMaker::byte_at(std::size_t offset, std::uint8_t value) {
  bytes_.at(offset) = value;
  return *this;
}

PacketMaker& PacketMaker::u16_at(std::size_t offset, std::uint16_t value) {
  byte_at(offset, static_cast<std::uint8_t>(value >> 8));
  return byte_at(offset + 1, static_cast<std::uint8_t>(value));
}

PacketMaker& PacketMaker::u32_at(std::size_t offset, std::uint32_t value) {
  u16_at(offset, static_cast<std::uint16_t>(value >> 16));
  return u16_at(offset + 2, static_cast<std::uint16_t>(value));
}

PacketMaker& PacketMaker::bytes_at(std::size_t offset, const Bytes& bytes) {
  for (std::size_t index = 0; index < bytes.size(); ++index) {
    byte_at(offset + index, bytes[index]);
  }
  return *this;
}

PacketMaker& PacketMaker::op(std::uint8_t value) {
  return byte_at(kOpOffset, value);
}

PacketMaker& PacketMaker::hlen(std::uint8_t value) {
  return byte_at(kHlenOffset, value);
}

PacketMaker& PacketMaker::xid(std::uint32_t value) {
  return u32_at(kXidOffset, value);
}

PacketMaker& PacketMaker::chaddr(const Bytes& address) {
  std::fill_n(bytes_.begin() + kChaddrOffset, kChaddrSize, std::uint8_t{0});
  return bytes_at(kChaddrOffset, address);
}

PacketMaker& PacketMaker::no_vendor_area() {
  bytes_.resize(kFixedHeaderSize);
  return *this;
}

PacketMaker& PacketMaker::option(std::uint8_t code, const Bytes& data) {
  return raw(tlv(code, data));
}

PacketMaker& PacketMaker::raw(const Bytes& bytes) {
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
  return *this;
}

PacketMaker& PacketMaker::end() {
  return raw({option::end});
}

}  // namespace calloutemu::dhcp::testing
