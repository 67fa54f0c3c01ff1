// fill_server_options: the members decoded from inside options 61, 81 and 43.
#include <gtest/gtest.h>

#include "calloutemu/dhcp/server_options.h"
#include "packet_maker.h"
#include "server_options_probe.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using testing::filled;
using testing::offset_in;
using testing::PacketMaker;

TEST(FillServerOptions, Option61IsTypeThenAddress) {
  const Bytes bytes = PacketMaker().option(61, {0xFF, 0xAA, 0xBB, 0xCC}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.ClientHardwareAddressType, 0xFF);
  EXPECT_EQ(offset_in(bytes, options.ClientHardwareAddress), 243);
  EXPECT_EQ(options.ClientHardwareAddressLength, 3);
}

TEST(FillServerOptions, Option61OfOneByteHasTypeOnly) {
  const DHCP_SERVER_OPTIONS options = filled(PacketMaker().option(61, {7}).bytes());
  EXPECT_EQ(options.ClientHardwareAddressType, 7);
  EXPECT_EQ(options.ClientHardwareAddress, nullptr);
  EXPECT_EQ(options.ClientHardwareAddressLength, 0);
}

TEST(FillServerOptions, Option61EmptyOrAbsentIsAllZeroNotChaddr) {
  for (const Bytes& bytes : {PacketMaker().option(61, {}).bytes(), PacketMaker().bytes()}) {
    const DHCP_SERVER_OPTIONS options = filled(bytes);
    EXPECT_EQ(options.ClientHardwareAddressType, 0);
    EXPECT_EQ(options.ClientHardwareAddress, nullptr);
    EXPECT_EQ(options.ClientHardwareAddressLength, 0);
  }
}

TEST(FillServerOptions, Option61Of255Bytes) {
  const Bytes bytes = PacketMaker().option(61, Bytes(255, 1)).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.ClientHardwareAddress), 243);
  EXPECT_EQ(options.ClientHardwareAddressLength, 254);
}

TEST(FillServerOptions, Option81FlagsAndName) {
  const Bytes bytes = PacketMaker().option(81, {0x01, 0xFF, 0xFF, 'a', '.', 'b'}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.DNSFlags, 0x01u);
  EXPECT_EQ(offset_in(bytes, options.DNSName), 245);
  EXPECT_EQ(options.DNSNameLength, 3u);
}

TEST(FillServerOptions, Option81WithoutName) {
  for (const Bytes& data : {Bytes{0x04}, Bytes{0x04, 0}, Bytes{0x04, 0, 0}}) {
    const DHCP_SERVER_OPTIONS options = filled(PacketMaker().option(81, data).bytes());
    EXPECT_EQ(options.DNSFlags, 0x04u) << data.size();
    EXPECT_EQ(options.DNSName, nullptr) << data.size();
    EXPECT_EQ(options.DNSNameLength, 0u) << data.size();
  }
}

TEST(FillServerOptions, DnsFlagsAre0xFFFFWithoutOption81) {
  EXPECT_EQ(filled(PacketMaker().option(53, {1}).bytes()).DNSFlags, 0xFFFFu);
  EXPECT_EQ(filled(PacketMaker().option(81, {}).bytes()).DNSFlags, 0xFFFFu);
  EXPECT_EQ(filled(PacketMaker().option(81, {0}).bytes()).DNSFlags, 0u);
}

TEST(FillServerOptions, Option43MicrosoftSuboptions) {
  const Bytes bytes =
      PacketMaker().option(43, {1, 2, 'x', 'y', 94, 1, 0, 95, 3, 'c', 'o', 'm'}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.DSDomainNameRequested, TRUE);
  EXPECT_EQ(offset_in(bytes, options.DSDomainName), 251);
  EXPECT_EQ(options.DSDomainNameLen, 3u);
}

TEST(FillServerOptions, Option43WithoutMicrosoftSuboptions) {
  const DHCP_SERVER_OPTIONS options = filled(PacketMaker().option(43, {1, 2, 94, 95}).bytes());
  EXPECT_EQ(options.DSDomainNameRequested, FALSE);
  EXPECT_EQ(options.DSDomainName, nullptr);
  EXPECT_EQ(options.DSDomainNameLen, 0u);
}

TEST(FillServerOptions, Option43NameWithoutRequest) {
  const Bytes bytes = PacketMaker().option(43, {95, 1, 'd'}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.DSDomainNameRequested, FALSE);
  EXPECT_EQ(offset_in(bytes, options.DSDomainName), 244);
  EXPECT_EQ(options.DSDomainNameLen, 1u);
}

TEST(FillServerOptions, Option43PadsAndEnd) {
  const Bytes bytes = PacketMaker().option(43, {0, 0, 95, 1, 'd', 255, 94, 0}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.DSDomainName), 246);
  EXPECT_EQ(options.DSDomainNameRequested, FALSE);  // 94 comes after the end
}

TEST(FillServerOptions, Option43StopsAtASuboptionRunningPastIt) {
  // 95 claims 9 bytes; 43 holds 2 more. The next option's bytes do not count.
  const Bytes bytes =
      PacketMaker().option(43, {94, 0, 95, 9, 'a', 'b'}).option(12, Bytes(9, 'n')).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(options.DSDomainNameRequested, TRUE);
  EXPECT_EQ(options.DSDomainName, nullptr);
  EXPECT_EQ(options.DSDomainNameLen, 0u);
  const DHCP_SERVER_OPTIONS no_length = filled(PacketMaker().option(43, {94}).bytes());
  EXPECT_EQ(no_length.DSDomainNameRequested, FALSE);
}

TEST(FillServerOptions, Option43FirstDomainNameWins) {
  const Bytes bytes = PacketMaker().option(43, {95, 1, 'a', 95, 2, 'b', 'c'}).bytes();
  const DHCP_SERVER_OPTIONS options = filled(bytes);
  EXPECT_EQ(offset_in(bytes, options.DSDomainName), 244);
  EXPECT_EQ(options.DSDomainNameLen, 1u);
  const DHCP_SERVER_OPTIONS empty_first =
      filled(PacketMaker().option(43, {95, 0, 95, 1, 'b'}).bytes());
  EXPECT_EQ(empty_first.DSDomainName, nullptr);
  EXPECT_EQ(empty_first.DSDomainNameLen, 0u);
}

TEST(FillServerOptions, OnlyTheFirstOption43IsRead) {
  const DHCP_SERVER_OPTIONS options =
      filled(PacketMaker().option(43, {1, 0}).option(43, {94, 0}).bytes());
  EXPECT_EQ(options.DSDomainNameRequested, FALSE);
}

}  // namespace
}  // namespace calloutemu::dhcp
