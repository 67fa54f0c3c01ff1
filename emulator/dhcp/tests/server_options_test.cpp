// fill_server_options: each member points at its option's data in the buffer.
#include "calloutemu/dhcp/server_options.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "sample_messages.h"
#include "server_options_probe.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using testing::filled;
using testing::offset_in;
using testing::PacketMaker;
using testing::tlv;

TEST(MembersOutside, NothingRightAfterFilling) {
  const Bytes bytes = testing::rich_discover();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_TRUE(members_outside(options, bytes).empty());
}

TEST(MembersOutside, NamesEachMemberPointingOutOrRunningPastTheEnd) {
  Bytes bytes = testing::rich_discover();
  DHCP_SERVER_OPTIONS options = filled(bytes);
  DWORD own_server = 0;
  options.Server = &own_server;                                  // elsewhere entirely
  options.SubnetMask = reinterpret_cast<DWORD*>(&bytes.back());  // 1 byte left, 4 needed
  options.MachineNameLength = static_cast<DWORD>(bytes.size());  // runs past the end
  options.OverlayFields = &bytes.back();                         // 1 byte left, 1 needed: fine
  const auto outside = members_outside(options, bytes);
  EXPECT_EQ(std::vector<std::string_view>(outside.begin(), outside.end()),
            (std::vector<std::string_view>{"SubnetMask", "Server", "MachineName"}));
}

// read_back_server_options_inside: the server's read back without the trap.
class ReadBackInside : public ::testing::Test {
 protected:
  // The inside-only read back of `options` into inside_seen_: its answer.
  bool inside(const DHCP_SERVER_OPTIONS& options) {
    inside_seen_ = {};
    return read_back_server_options_inside(options, view_, inside_seen_);
  }
  // The read back the server does under the trap.
  ServerOptionsReadBack full(const DHCP_SERVER_OPTIONS& options) const {
    return read_back_server_options(options, view_);
  }

  Bytes bytes_ = testing::rich_discover();
  MessageView view_ = *parse_message(bytes_);
  ServerOptionsReadBack inside_seen_;
};

TEST_F(ReadBackInside, RightAfterFillingReadsWhatTheFullReadBackReads) {
  const DHCP_SERVER_OPTIONS options = filled(bytes_);
  ASSERT_TRUE(inside(options));
  EXPECT_EQ(inside_seen_, full(options));
  EXPECT_EQ(inside_seen_.machine_name, "host-1");
}

// Each way out of the datagram, one at a time: false, and the member is not
// read (the "elsewhere" address is unmapped: reading it would crash the test).
TEST_F(ReadBackInside, StopsAtAnyPointerStartingOutsideTheDatagram) {
  auto* const unmapped = reinterpret_cast<DWORD*>(std::uintptr_t{16});
  const std::vector<std::pair<std::string, void (*)(DHCP_SERVER_OPTIONS&, Bytes&, DWORD*)>> edits =
      {
          {"Server elsewhere", [](auto& o, auto&, auto* e) { o.Server = e; }},
          {"ScopeId elsewhere", [](auto& o, auto&, auto* e) { o.ScopeId = e; }},
          {"MachineName elsewhere",
           [](auto& o, auto&, auto* e) { o.MachineName = reinterpret_cast<CHAR*>(e); }},
          {"MessageType elsewhere",
           [](auto& o, auto&, auto* e) { o.MessageType = reinterpret_cast<BYTE*>(e); }},
          {"DNSName at the end, empty",
           [](auto& o, auto& b, auto*) {
             o.DNSName = b.data() + b.size();
             o.DNSNameLength = 0;
           }},
      };
  for (const auto& [what, edit] : edits) {
    DHCP_SERVER_OPTIONS options = filled(bytes_);
    edit(options, bytes_, unmapped);
    EXPECT_FALSE(inside(options)) << what;
  }
}

// A pointer into the datagram whose value runs past its end is not read by
// either: listed as unreadable, and no trap is needed.
TEST_F(ReadBackInside, ListsValuesRunningPastTheEndAsTheFullReadBackDoes) {
  DHCP_SERVER_OPTIONS options = filled(bytes_);
  options.SubnetMask = reinterpret_cast<DWORD*>(&bytes_.back());  // 1 byte left, 4 needed
  options.MachineNameLength = static_cast<DWORD>(bytes_.size());
  options.OverlayFields = &bytes_.back();  // 1 byte left, 1 needed: read
  options.MessageType = nullptr;
  ASSERT_TRUE(inside(options));
  EXPECT_EQ(inside_seen_, full(options));
  EXPECT_EQ(inside_seen_.unreadable, (std::vector<std::string_view>{"SubnetMask", "MachineName"}));
  EXPECT_EQ(inside_seen_.overlay_fields, bytes_.back());
  EXPECT_TRUE(inside_seen_.is_bootp());
}

TEST(FillServerOptions, PointsEveryMemberIntoTheRequest) {
  const Bytes bytes = testing::rich_discover();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.MessageType), 242);
  EXPECT_EQ(offset_in(bytes, options.SubnetMask), -1);
  EXPECT_EQ(offset_in(bytes, options.RequestedAddress), 254);
  EXPECT_EQ(offset_in(bytes, options.RequestLeaseTime), 260);
  EXPECT_EQ(offset_in(bytes, options.OverlayFields), -1);
  EXPECT_EQ(offset_in(bytes, options.RouterAddress), -1);
  EXPECT_EQ(offset_in(bytes, options.Server), -1);
  EXPECT_EQ(offset_in(bytes, options.ParameterRequestList), 274);
  EXPECT_EQ(options.ParameterRequestListLength, 5u);
  EXPECT_EQ(offset_in(bytes, options.MachineName), 266);
  EXPECT_EQ(options.MachineNameLength, 6u);
  EXPECT_EQ(options.ClientHardwareAddressType, 1);
  EXPECT_EQ(offset_in(bytes, options.ClientHardwareAddress), 246);
  EXPECT_EQ(options.ClientHardwareAddressLength, 6);
  EXPECT_EQ(offset_in(bytes, options.ClassIdentifier), 291);
  EXPECT_EQ(options.ClassIdentifierLength, 3u);
  EXPECT_EQ(offset_in(bytes, options.VendorClass), 281);
  EXPECT_EQ(options.VendorClassLength, 8u);
  EXPECT_EQ(options.DNSFlags, 0x05u);
  EXPECT_EQ(offset_in(bytes, options.DNSName), 299);
  EXPECT_EQ(options.DNSNameLength, 4u);
  EXPECT_EQ(options.DSDomainNameRequested, TRUE);
  EXPECT_EQ(offset_in(bytes, options.DSDomainName), 309);
  EXPECT_EQ(options.DSDomainNameLen, 7u);
  EXPECT_EQ(options.ScopeId, nullptr);
}

TEST(FillServerOptions, ValuesStayInNetworkOrder) {
  const Bytes bytes = testing::rich_discover();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  const std::uint8_t address[] = {192, 0, 2, 10};
  const std::uint8_t lease[] = {0, 0, 0x0E, 0x10};
  EXPECT_EQ(std::memcmp(options.RequestedAddress, address, 4), 0);
  EXPECT_EQ(std::memcmp(options.RequestLeaseTime, lease, 4), 0);
  EXPECT_EQ(*options.MessageType, 1);
  EXPECT_EQ(std::string(options.MachineName, options.MachineNameLength), "host-1");
  EXPECT_EQ(std::string(options.DSDomainName, options.DSDomainNameLen), "example");
}

TEST(FillServerOptions, NoOptionsLeavesAllZeroButDnsFlags) {
  const DHCP_SERVER_OPTIONS options = filled(PacketMaker().no_vendor_area().bytes());
  EXPECT_EQ(options.MessageType, nullptr);
  EXPECT_EQ(options.SubnetMask, nullptr);
  EXPECT_EQ(options.RequestedAddress, nullptr);
  EXPECT_EQ(options.RequestLeaseTime, nullptr);
  EXPECT_EQ(options.OverlayFields, nullptr);
  EXPECT_EQ(options.RouterAddress, nullptr);
  EXPECT_EQ(options.Server, nullptr);
  EXPECT_EQ(options.ParameterRequestList, nullptr);
  EXPECT_EQ(options.ParameterRequestListLength, 0u);
  EXPECT_EQ(options.MachineName, nullptr);
  EXPECT_EQ(options.MachineNameLength, 0u);
  EXPECT_EQ(options.ClientHardwareAddressType, 0);
  EXPECT_EQ(options.ClientHardwareAddressLength, 0);
  EXPECT_EQ(options.ClientHardwareAddress, nullptr);
  EXPECT_EQ(options.ClassIdentifier, nullptr);
  EXPECT_EQ(options.ClassIdentifierLength, 0u);
  EXPECT_EQ(options.VendorClass, nullptr);
  EXPECT_EQ(options.VendorClassLength, 0u);
  EXPECT_EQ(options.DNSFlags, 0xFFFFu);
  EXPECT_EQ(options.DNSNameLength, 0u);
  EXPECT_EQ(options.DNSName, nullptr);
  EXPECT_EQ(options.DSDomainNameRequested, FALSE);
  EXPECT_EQ(options.DSDomainName, nullptr);
  EXPECT_EQ(options.DSDomainNameLen, 0u);
  EXPECT_EQ(options.ScopeId, nullptr);
}

TEST(FillServerOptions, AddressOptionsAndOverload) {
  const Bytes bytes = PacketMaker()
                          .option(1, {255, 255, 255, 0})
                          .option(3, {192, 0, 2, 254})
                          .option(54, {192, 0, 2, 1})
                          .option(52, {1})
                          .end()
                          .bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.SubnetMask), 242);
  EXPECT_EQ(offset_in(bytes, options.RouterAddress), 248);
  EXPECT_EQ(offset_in(bytes, options.Server), 254);
  EXPECT_EQ(offset_in(bytes, options.OverlayFields), 260);
  EXPECT_EQ(offset_in(bytes, options.MessageType), -1);
}

TEST(FillServerOptions, AddressMembersNeedExactlyFourBytes) {
  for (std::uint8_t code : kFourByteOptions) {
    for (std::size_t length : {0u, 3u, 5u}) {
      const DHCP_SERVER_OPTIONS options =
          filled(PacketMaker().option(code, Bytes(length, 9)).bytes());
      EXPECT_EQ(options.SubnetMask, nullptr) << int{code} << "/" << length;
      EXPECT_EQ(options.RequestedAddress, nullptr) << int{code} << "/" << length;
      EXPECT_EQ(options.RequestLeaseTime, nullptr) << int{code} << "/" << length;
      EXPECT_EQ(options.RouterAddress, nullptr) << int{code} << "/" << length;
      EXPECT_EQ(options.Server, nullptr) << int{code} << "/" << length;
    }
  }
}

TEST(FillServerOptions, TakesTheFirstOccurrence) {
  const Bytes bytes = PacketMaker()
                          .option(12, {'a'})
                          .option(50, {10, 0, 0, 1})
                          .option(12, {'b', 'c'})
                          .option(50, {10, 0, 0, 2})
                          .bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.MachineName), 242);
  EXPECT_EQ(options.MachineNameLength, 1u);
  EXPECT_EQ(offset_in(bytes, options.RequestedAddress), 245);
}

// The first occurrence decides even when it is unusable: a later, usable
// one is not taken instead.
TEST(FillServerOptions, AnUnusableFirstOccurrenceIsNotReplacedByALaterOne) {
  const Bytes bytes = PacketMaker()
                          .option(50, {10, 0, 0})
                          .option(61, {})
                          .option(81, {})
                          .option(12, {})
                          .option(50, {10, 0, 0, 2})
                          .option(61, {1, 2, 3})
                          .option(81, {0x01, 0, 0, 'n'})
                          .option(12, {'b'})
                          .bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.RequestedAddress, nullptr);
  EXPECT_EQ(options.ClientHardwareAddressType, 0);
  EXPECT_EQ(options.ClientHardwareAddress, nullptr);
  EXPECT_EQ(options.ClientHardwareAddressLength, 0);
  EXPECT_EQ(options.DNSFlags, kNoDnsFlags);
  EXPECT_EQ(options.DNSName, nullptr);
  EXPECT_EQ(options.DNSNameLength, 0u);
  EXPECT_EQ(options.MachineName, nullptr);
  EXPECT_EQ(options.MachineNameLength, 0u);
}

TEST(FillServerOptions, PointsIntoOverloadedFields) {
  const Bytes file = tlv(50, {192, 0, 2, 77});
  const Bytes sname = tlv(12, {'s'});
  const Bytes bytes = PacketMaker()
                          .bytes_at(kFileOffset, file)
                          .bytes_at(kSnameOffset, sname)
                          .option(53, {1})
                          .option(52, {3})
                          .end()
                          .bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.RequestedAddress), 110);
  EXPECT_EQ(offset_in(bytes, options.MachineName), 46);
  EXPECT_EQ(options.MachineNameLength, 1u);
  EXPECT_EQ(offset_in(bytes, options.OverlayFields), 245);
}

TEST(FillServerOptions, EmptyValuesGetNoPointer) {
  const Bytes bytes = PacketMaker()
                          .option(53, {})
                          .option(55, {})
                          .option(12, {})
                          .option(77, {})
                          .option(60, {})
                          .option(52, {})
                          .bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.MessageType, nullptr);
  EXPECT_EQ(options.ParameterRequestList, nullptr);
  EXPECT_EQ(options.ParameterRequestListLength, 0u);
  EXPECT_EQ(options.MachineName, nullptr);
  EXPECT_EQ(options.MachineNameLength, 0u);
  EXPECT_EQ(options.ClassIdentifier, nullptr);
  EXPECT_EQ(options.VendorClass, nullptr);
  EXPECT_EQ(options.OverlayFields, nullptr);
}

TEST(FillServerOptions, MessageTypePointsAtOption53WhateverItsLength) {
  const Bytes bytes = PacketMaker().option(53, {3, 1}).bytes();
  EXPECT_EQ(offset_in(bytes, filled(bytes).MessageType), 242);
}

TEST(FillServerOptions, EveryPointerStaysInsideItsOption) {
  for (const auto& sample : testing::sample_messages()) {
    auto message = parse_message(sample.bytes);
    ASSERT_TRUE(message) << sample.name;
    DHCP_SERVER_OPTIONS options;
    fill_server_options(*message, options);
    const auto inside = [&](const void* pointer, std::size_t length) {
      const std::ptrdiff_t offset = offset_in(sample.bytes, pointer);
      return offset == -1 ||
             (offset >= 0 && static_cast<std::size_t>(offset) + length <= sample.bytes.size());
    };
    EXPECT_TRUE(inside(options.MessageType, 1)) << sample.name;
    EXPECT_TRUE(inside(options.RequestedAddress, 4)) << sample.name;
    EXPECT_TRUE(inside(options.Server, 4)) << sample.name;
    EXPECT_TRUE(inside(options.MachineName, options.MachineNameLength)) << sample.name;
    EXPECT_TRUE(inside(options.ClientHardwareAddress, options.ClientHardwareAddressLength))
        << sample.name;
    EXPECT_TRUE(inside(options.DNSName, options.DNSNameLength)) << sample.name;
  }
}

}  // namespace
}  // namespace calloutemu::dhcp
