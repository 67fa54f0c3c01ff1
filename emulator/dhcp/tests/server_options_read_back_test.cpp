// read_back_server_options: what the server sees after a callout's edits.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "calloutemu/dhcp/server_options.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "sample_messages.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PacketMaker;

// A request in a writable buffer, its parse and its filled options: what the
// server holds around HandleOptions.
struct Hooked {
  explicit Hooked(Bytes datagram) : bytes(std::move(datagram)) {
    auto parsed = parse_message(bytes);
    EXPECT_TRUE(parsed);
    if (parsed) {
      message = *parsed;
    }
    fill_server_options(message, options);
  }
  ServerOptionsReadBack read_back() const { return read_back_server_options(options, message); }

  Bytes bytes;
  MessageView message;
  DHCP_SERVER_OPTIONS options{};
};

TEST(ReadBack, UntouchedReadsTheRequest) {
  const Hooked hooked(testing::rich_discover());
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.message_type, MessageType::discover);
  EXPECT_FALSE(seen.malformed_message_type);
  EXPECT_FALSE(seen.is_bootp());
  EXPECT_EQ(seen.subnet_mask, std::nullopt);
  EXPECT_EQ(seen.requested_address, 0xC000020Au);
  EXPECT_EQ(seen.lease_time, 3600u);
  EXPECT_EQ(seen.overlay_fields, std::nullopt);
  EXPECT_EQ(seen.router_address, std::nullopt);
  EXPECT_EQ(seen.server_identifier, std::nullopt);
  EXPECT_THAT(*seen.parameter_request_list, ElementsAre(1, 3, 6, 15, 43));
  EXPECT_EQ(seen.machine_name, "host-1");
  EXPECT_EQ(seen.client_hardware_address_type, 1);
  EXPECT_THAT(*seen.client_hardware_address, ElementsAre(0x02, 0x00, 0x5e, 0x10, 0x20, 0x30));
  EXPECT_EQ(seen.class_identifier, "lab");
  EXPECT_THAT(*seen.vendor_class, ElementsAre('M', 'S', 'F', 'T', ' ', '5', '.', '0'));
  EXPECT_EQ(seen.dns_flags, 5u);
  EXPECT_THAT(*seen.dns_name, ElementsAre('h', '.', 'e', 'x'));
  EXPECT_TRUE(seen.ds_domain_name_requested);
  EXPECT_EQ(seen.ds_domain_name, "example");
  EXPECT_EQ(seen.scope_id, std::nullopt);
  EXPECT_THAT(seen.unreadable, IsEmpty());
}

TEST(ReadBack, AddressesAndOverload) {
  const Hooked hooked(PacketMaker()
                          .option(1, {255, 255, 255, 0})
                          .option(3, {192, 0, 2, 254})
                          .option(54, {192, 0, 2, 1})
                          .option(52, {2})
                          .bytes());
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.subnet_mask, 0xFFFFFF00u);
  EXPECT_EQ(seen.router_address, 0xC00002FEu);
  EXPECT_EQ(seen.server_identifier, 0xC0000201u);
  EXPECT_EQ(seen.overlay_fields, 2);
  EXPECT_TRUE(seen.is_bootp());
}

TEST(ReadBack, EditsInPlaceTakeEffect) {
  Hooked hooked(testing::rich_discover());
  *hooked.options.MessageType = 3;
  std::memcpy(hooked.options.RequestedAddress, "\x0A\x00\x00\x07", 4);
  hooked.options.MachineName[0] = 'H';
  hooked.options.MachineNameLength = 4;
  hooked.options.DNSFlags = 0;
  hooked.options.DSDomainNameRequested = FALSE;
  hooked.options.ClientHardwareAddressType = 6;
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.message_type, MessageType::request);
  EXPECT_EQ(seen.requested_address, 0x0A000007u);
  EXPECT_EQ(seen.machine_name, "Host");
  EXPECT_EQ(seen.dns_flags, 0u);
  EXPECT_FALSE(seen.ds_domain_name_requested);
  EXPECT_EQ(seen.client_hardware_address_type, 6);
}

TEST(ReadBack, PointersToTheCalloutsOwnMemoryAreRead) {
  Hooked hooked(testing::rich_discover());
  BYTE type = 8;
  std::uint8_t server[4] = {10, 0, 0, 1};
  std::uint8_t mask[4] = {255, 255, 0, 0};
  std::uint8_t scope[4] = {192, 0, 2, 0};
  char name[] = "replaced-name";
  BYTE vendor[] = {1, 2, 3};
  hooked.options.MessageType = &type;
  hooked.options.Server = reinterpret_cast<DWORD*>(server);
  hooked.options.SubnetMask = reinterpret_cast<DWORD*>(mask);
  hooked.options.ScopeId = reinterpret_cast<DWORD*>(scope);
  hooked.options.MachineName = name;
  hooked.options.MachineNameLength = 8;
  hooked.options.VendorClass = vendor;
  hooked.options.VendorClassLength = 3;
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.message_type, MessageType::inform);
  EXPECT_EQ(seen.server_identifier, 0x0A000001u);
  EXPECT_EQ(seen.subnet_mask, 0xFFFF0000u);
  EXPECT_EQ(seen.scope_id, 0xC0000200u);
  EXPECT_EQ(seen.machine_name, "replaced");
  EXPECT_THAT(*seen.vendor_class, ElementsAre(1, 2, 3));
  EXPECT_THAT(seen.unreadable, IsEmpty());
}

TEST(ReadBack, TheRestOfTheServersBufferIsOutsideTheDatagram) {
  Bytes buffer(kServerBufferSize, 0);
  const Bytes datagram = PacketMaker().option(53, {1}).end().bytes();
  std::copy(datagram.begin(), datagram.end(), buffer.begin());
  buffer[1000] = 192;
  buffer[1001] = 0;
  buffer[1002] = 2;
  buffer[1003] = 99;
  auto message = parse_message(std::span<const std::uint8_t>(buffer).first(datagram.size()));
  ASSERT_TRUE(message);
  DHCP_SERVER_OPTIONS options;
  fill_server_options(*message, options);
  options.RequestedAddress = reinterpret_cast<DWORD*>(buffer.data() + 1000);
  const ServerOptionsReadBack seen = read_back_server_options(options, *message);
  EXPECT_EQ(seen.requested_address, 0xC0000263u);
  EXPECT_THAT(seen.unreadable, IsEmpty());
}

TEST(ReadBack, NullMeansAbsentWhateverTheLength) {
  Hooked hooked(testing::rich_discover());
  hooked.options.RequestedAddress = nullptr;
  hooked.options.MachineName = nullptr;
  hooked.options.ParameterRequestList = nullptr;
  hooked.options.DNSName = nullptr;
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.requested_address, std::nullopt);
  EXPECT_EQ(seen.machine_name, std::nullopt);
  EXPECT_EQ(seen.parameter_request_list, std::nullopt);
  EXPECT_EQ(seen.dns_name, std::nullopt);
  EXPECT_THAT(seen.unreadable, IsEmpty());
}

TEST(ReadBack, ANullMessageTypeMakesItBootp) {
  Hooked hooked(testing::rich_discover());
  hooked.options.MessageType = nullptr;
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.message_type, std::nullopt);
  EXPECT_FALSE(seen.malformed_message_type);
  EXPECT_TRUE(seen.is_bootp());
}

TEST(ReadBack, PointersRunningPastTheDatagramAreUnreadable) {
  Hooked hooked(testing::rich_discover());
  BYTE* const end = hooked.bytes.data() + hooked.bytes.size();
  hooked.options.RequestedAddress = reinterpret_cast<DWORD*>(end - 3);
  hooked.options.MachineName = reinterpret_cast<CHAR*>(end - 2);
  hooked.options.MachineNameLength = 3;
  hooked.options.ParameterRequestList = end - 2;
  hooked.options.ParameterRequestListLength = 2;  // exactly fits
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.requested_address, std::nullopt);
  EXPECT_EQ(seen.machine_name, std::nullopt);
  ASSERT_TRUE(seen.parameter_request_list);
  EXPECT_EQ(seen.parameter_request_list->size(), 2u);
  EXPECT_THAT(seen.unreadable, ElementsAre("RequestedAddress", "MachineName"));
}

TEST(ReadBack, ImplausibleLengthsOutsideTheDatagramAreNotRead) {
  Hooked hooked(testing::rich_discover());
  BYTE small[4] = {};
  hooked.options.VendorClass = small;
  hooked.options.VendorClassLength = kMaxReadBackLength + 1;
  hooked.options.DNSName = small;
  hooked.options.DNSNameLength = 0xFFFFFFFF;
  const ServerOptionsReadBack seen = hooked.read_back();
  EXPECT_EQ(seen.vendor_class, std::nullopt);
  EXPECT_EQ(seen.dns_name, std::nullopt);
  EXPECT_THAT(seen.unreadable, ElementsAre("VendorClass", "DNSName"));
}

TEST(ReadBack, AMalformedOption53LeftAsFilledStaysMalformed) {
  for (const Bytes& data : {Bytes{}, Bytes{1, 1}}) {
    const Hooked hooked(PacketMaker().option(53, data).bytes());
    const ServerOptionsReadBack seen = hooked.read_back();
    EXPECT_EQ(seen.message_type, std::nullopt) << data.size();
    EXPECT_TRUE(seen.malformed_message_type) << data.size();
    EXPECT_FALSE(seen.is_bootp()) << data.size();
  }
}

TEST(ReadBack, ACalloutCanRepairAMalformedOption53) {
  Hooked pointed(PacketMaker().option(53, {1, 1}).bytes());
  BYTE type = 1;
  pointed.options.MessageType = &type;
  EXPECT_EQ(pointed.read_back().message_type, MessageType::discover);
  EXPECT_FALSE(pointed.read_back().malformed_message_type);

  Hooked cleared(PacketMaker().option(53, {1, 1}).bytes());
  cleared.options.MessageType = nullptr;
  EXPECT_TRUE(cleared.read_back().is_bootp());

  Hooked empty(PacketMaker().option(53, {}).bytes());
  empty.options.MessageType = &type;
  EXPECT_EQ(empty.read_back().message_type, MessageType::discover);
}

TEST(ReadBack, ACalloutCanTurnBootpIntoDhcp) {
  Hooked hooked(PacketMaker().bytes());
  EXPECT_TRUE(hooked.read_back().is_bootp());
  BYTE type = 3;
  hooked.options.MessageType = &type;
  EXPECT_EQ(hooked.read_back().message_type, MessageType::request);
}

TEST(ReadBack, EverySampleReadsBackAsParsed) {
  for (const auto& sample : testing::sample_messages()) {
    const Hooked hooked(sample.bytes);
    const ServerOptionsReadBack seen = hooked.read_back();
    EXPECT_EQ(seen.message_type, hooked.message.message_type()) << sample.name;
    EXPECT_EQ(seen.is_bootp(), hooked.message.is_bootp()) << sample.name;
    EXPECT_THAT(seen.unreadable, IsEmpty()) << sample.name;
  }
}

}  // namespace
}  // namespace calloutemu::dhcp
