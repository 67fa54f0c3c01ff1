// Spec §1 and §3 step 8: DHCP_SERVER_OPTIONS points into the request buffer,
// and the server reads it back after the hook, so a callout's edits count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/dhcp/server_options.h"
#include "packet_maker.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::MessageType;
using dhcp::testing::PacketMaker;
using loader::Hook;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct RichDiscover {
  Bytes bytes;
  std::size_t type_at = 0;  // data offsets
  std::size_t requested_at = 0;
  std::size_t host_name_at = 0;
  std::size_t parameters_at = 0;
  std::size_t client_id_at = 0;
};

RichDiscover rich_discover() {
  RichDiscover out;
  PacketMaker maker;
  maker.xid(0x1001).chaddr(mac(1));
  out.type_at = maker.size() + 2;
  maker.option(53, {1});
  out.requested_at = maker.size() + 2;
  maker.option(50, be32(net(150)));
  out.host_name_at = maker.size() + 2;
  maker.option(12, {'h', 'o', 's', 't'});
  out.parameters_at = maker.size() + 2;
  maker.option(55, {1, 3, 6});
  out.client_id_at = maker.size() + 2;
  maker.option(61, {1, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01});
  out.bytes = maker.end().bytes();
  return out;
}

const BYTE* as_bytes(const void* pointer) {
  return static_cast<const BYTE*>(pointer);
}

TEST(HandleOptions, TheStructPointsIntoTheRequestBuffer) {
  Harness h;
  const auto discover = rich_discover();
  const auto handled = h.send(discover.bytes);
  const auto& new_pkt = handled.first(Hook::new_pkt);
  const auto& call = handled.first(Hook::handle_options);
  EXPECT_EQ(call.packet, new_pkt.packet);
  EXPECT_EQ(call.size, discover.bytes.size());
  EXPECT_EQ(call.reserved, new_pkt.reserved);
  ASSERT_TRUE(call.options);
  const auto& options = *call.options;
  const BYTE* packet = call.packet;
  EXPECT_EQ(options.MessageType, packet + discover.type_at);
  EXPECT_EQ(as_bytes(options.RequestedAddress), packet + discover.requested_at);
  EXPECT_EQ(options.MachineName, reinterpret_cast<const char*>(packet + discover.host_name_at));
  EXPECT_EQ(options.MachineNameLength, 4u);
  EXPECT_EQ(options.ParameterRequestList, packet + discover.parameters_at);
  EXPECT_EQ(options.ParameterRequestListLength, 3u);
  EXPECT_EQ(options.ClientHardwareAddressType, 1u);
  EXPECT_EQ(options.ClientHardwareAddress, packet + discover.client_id_at + 1);
  EXPECT_EQ(options.ClientHardwareAddressLength, 6u);
  EXPECT_EQ(options.SubnetMask, nullptr);
  EXPECT_EQ(options.Server, nullptr);
  EXPECT_EQ(options.RequestLeaseTime, nullptr);
  EXPECT_EQ(options.ScopeId, nullptr);
  EXPECT_EQ(options.DNSFlags, dhcp::kNoDnsFlags);
  // The requested address, in network order where it points.
  EXPECT_EQ(Bytes(as_bytes(options.RequestedAddress), as_bytes(options.RequestedAddress) + 4),
            be32(net(150)));
  // And the server took it.
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(150));
}

TEST(HandleOptions, ABootpRequestHasNoMessageType) {
  Harness h;
  const auto handled = h.send(msg::bootp(1, 0x1001));
  ASSERT_TRUE(handled.first(Hook::handle_options).options);
  EXPECT_EQ(handled.first(Hook::handle_options).options->MessageType, nullptr);
}

TEST(HandleOptions, ChangingMessageTypeThroughThePointerIsHonoured) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    *options->MessageType = static_cast<BYTE>(MessageType::inform);
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.outcome.message_type, MessageType::inform);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
  EXPECT_EQ(h.server().lease_count(), 0u);
}

TEST(HandleOptions, PointingMessageTypeAtItsOwnByteIsHonoured) {
  Harness h;
  static BYTE request_type = static_cast<BYTE>(MessageType::request);
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->MessageType = &request_type;
  };
  // An INFORM read as a REQUEST for .120 (INIT-REBOOT).
  const auto bytes = PacketMaker()
                         .xid(0x1001)
                         .chaddr(mac(1))
                         .option(53, {8})
                         .option(50, be32(net(120)))
                         .end()
                         .bytes();
  const auto handled = h.send(bytes);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_offer).alt_address, net(120));
}

TEST(HandleOptions, SettingMessageTypeToNullMakesItBootp) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->MessageType = nullptr;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
  EXPECT_TRUE(handled.outcome.bootp);
}

TEST(HandleOptions, RequestedAddressPointedAtTheCalloutsDwordIsOffered) {
  Harness h;
  static const Bytes wanted = be32(net(150));
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->RequestedAddress =
        reinterpret_cast<DHCP_IP_ADDRESS*>(const_cast<std::uint8_t*>(wanted.data()));
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::offer);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(150));
}

TEST(HandleOptions, RequestedAddressEditedInPlaceIsAcked) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    if (options->RequestedAddress != nullptr) {
      reinterpret_cast<BYTE*>(options->RequestedAddress)[3] = 150;
    }
  };
  const auto handled = h.send(msg::request_init_reboot(1, 0x1001, net(120)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_offer).alt_address, net(150));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(150));
}

TEST(HandleOptions, ServerPointedAtAnotherServerMakesTheRequestWrongServer) {
  Harness h;
  static const Bytes other = be32(kOtherServer);
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->Server = reinterpret_cast<DHCP_IP_ADDRESS*>(const_cast<std::uint8_t*>(other.data()));
  };
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100)), 0.5);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "PktDrop(WRONG_SERVER)",
                                              "PktDrop(PROCESSED)"));
}

TEST(HandleOptions, APointerPartlyOutsideThePacketIsAFindingAndIgnored) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE* packet, DWORD size,
                                 DHCP_SERVER_OPTIONS* options) {
    options->RequestedAddress = reinterpret_cast<DHCP_IP_ADDRESS*>(packet + size - 2);
  };
  const auto handled = h.send(msg::request_init_reboot(1, 0x1001, net(120)));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("RequestedAddress"));
  // Without a requested address or ciaddr the REQUEST asks for nothing.
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(INVALID)", "PktDrop(PROCESSED)"));
}

TEST(HandleOptions, ClientIdentifierEditedChangesWhoTheClientIs) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  // Client 2 renews .100 but a callout says it is client 1.
  static const Bytes client_one = mac(1);
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->ClientHardwareAddress = const_cast<std::uint8_t*>(client_one.data());
    options->ClientHardwareAddressLength = 6;
    options->ClientHardwareAddressType = 1;
  };
  const auto handled = h.send(msg::request_renewing(2, 0x2001, net(100)));
  // Client 1's lease was held under its chaddr, not under "01" + MAC:
  // the edited id is another client, so the address is taken.
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(HandleOptions, AStructThatFaultsWhenReadBackIsAFindingAndInvalid) {
  Harness h;
  // A pointer of the callout's: read back under the trap, which says it faults.
  static DWORD callout_server = 0;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE*, DWORD, DHCP_SERVER_OPTIONS* options) {
    options->Server = &callout_server;
  };
  h.hooks.guarded_faults = true;
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(INVALID)", "PktDrop(PROCESSED)"));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("SIGSEGV"));
  EXPECT_EQ(h.server().lease_count(), 0u);
}

// Pointers left in the server's receive buffer cannot fault: read back
// without the trap (which would report a fault here).
TEST(HandleOptions, PointersLeftInTheReceiveBufferAreReadBackWithoutTheTrap) {
  Harness h;
  h.hooks.guarded_faults = true;
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
}

TEST(HandleOptions, NothingReadBackLeaksIntoTheNextPacket) {
  Harness h;
  // Client 1: option 50 and option 61 in an INFORM (which uses neither).
  const auto inform = PacketMaker()
                          .xid(0x1001)
                          .chaddr(mac(1))
                          .option(53, {8})
                          .option(50, be32(net(150)))
                          .option(61, {1, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x09})
                          .end()
                          .bytes();
  EXPECT_EQ(h.send(inform).outcome.message_type, MessageType::inform);
  // Client 2: a DISCOVER with neither gets the lowest address.
  const auto first = h.send(msg::discover(2, 0x2001));
  ASSERT_TRUE(first.response);
  EXPECT_EQ(response_yiaddr(first.response->bytes), net(100));
  // Client 3 (option 61) then client 4 (none): different clients.
  const auto with_id = PacketMaker()
                           .xid(0x3001)
                           .chaddr(mac(3))
                           .option(53, {1})
                           .option(61, {1, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x03})
                           .end()
                           .bytes();
  const auto third = h.send(with_id);
  ASSERT_TRUE(third.response);
  EXPECT_EQ(response_yiaddr(third.response->bytes), net(101));
  const auto fourth = h.send(msg::discover(4, 0x4001));
  ASSERT_TRUE(fourth.response);
  EXPECT_EQ(response_yiaddr(fourth.response->bytes), net(102));
  // A BOOTP request after DHCP ones has no message type.
  const auto bootp = h.send(msg::bootp(5, 0x5001));
  EXPECT_TRUE(bootp.outcome.bootp);
  EXPECT_FALSE(bootp.outcome.message_type);
  EXPECT_THAT(bootp.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
}

TEST(HandleOptions, AFindingOfOnePacketIsNotRepeatedForTheNext) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t number, BYTE* packet, DWORD size,
                                 DHCP_SERVER_OPTIONS* options) {
    if (number == 1) {
      options->RequestedAddress = reinterpret_cast<DHCP_IP_ADDRESS*>(packet + size - 2);
    }
  };
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).outcome.findings.size(), 1u);
  EXPECT_THAT(h.send(msg::discover(2, 0x2001)).outcome.findings, IsEmpty());
}

}  // namespace
}  // namespace calloutemu::server::testing
