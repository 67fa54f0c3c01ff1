// Spec §3 step 9: the hooks each message type gets, in order (model decisions).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::MessageType;
using loader::Hook;
using ::testing::ElementsAre;

constexpr DWORD kDefaultLease = scopes::kDefaultLeaseTime;

TEST(MessageTypeSequences, DiscoverIsAnsweredWithAnOfferAndNoAddressOffer) {
  Harness h;
  const auto handled = h.send(msg::discover(1, 0x1001), 0.0);
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::offer);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
  EXPECT_EQ(handled.outcome.message_type, MessageType::discover);
  EXPECT_EQ(handled.outcome.source, DecisionSource::model);
  EXPECT_TRUE(handled.outcome.responded);
  EXPECT_EQ(handled.outcome.response_type, MessageType::offer);
  EXPECT_TRUE(handled.outcome.drop_reasons.empty());
}

TEST(MessageTypeSequences, RequestSelectingGetsAddressOfferNewThenTheAck) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100)), 0.5);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& offer = handled.first(Hook::address_offer);
  EXPECT_EQ(offer.code, DWORD{DHCP_GIVE_ADDRESS_NEW});
  EXPECT_EQ(offer.address_type, DWORD{DHCP_CLIENT_DHCP});
  EXPECT_EQ(offer.ip_address, kServer);
  EXPECT_EQ(offer.alt_address, net(100));
  EXPECT_EQ(offer.lease_time, kDefaultLease);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
  EXPECT_EQ(h.server().lease_count(), 1u);
}

TEST(MessageTypeSequences, RenewalOfABoundLeaseGetsAddressOfferOld) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_renewing(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& offer = handled.first(Hook::address_offer);
  EXPECT_EQ(offer.address_type, DWORD{DHCP_CLIENT_DHCP});
  EXPECT_EQ(offer.alt_address, net(100));
  EXPECT_EQ(offer.lease_time, kDefaultLease);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
}

TEST(MessageTypeSequences, InitRebootForTheClientsOwnAddressIsOld) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_init_reboot(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, RequestForAnAddressHeldByAnotherClientIsNaked) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_init_reboot(2, 0x2001, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(100));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::nak);
  EXPECT_EQ(handled.outcome.response_type, MessageType::nak);
}

TEST(MessageTypeSequences, SelectingAnAddressHeldByAnotherClientIsNaked) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_selecting(2, 0x2001, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(100));
}

TEST(MessageTypeSequences, DeclineOfABoundLeaseDeletesTheClientInDocumented) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::decline(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(DECLINE)",
                                              "DeleteClient", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(100));
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.ip_address, net(100));
  EXPECT_EQ(deleted.bytes, mac(1));
  EXPECT_EQ(deleted.client_type, DWORD{DHCP_CLIENT_DHCP});
  EXPECT_FALSE(handled.outcome.responded);
}

TEST(MessageTypeSequences, DeclineOfABoundLeaseInLegacyHasNoDeleteClient) {
  Harness h(model_settings(Fidelity::legacy));
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::decline(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(DECLINE)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, DeclineOfAnOfferHasNoDeleteClient) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::decline(1, 0x1001, net(100)), 0.5);
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(DECLINE)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, ADeclinedAddressIsNeverOfferedAgain) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  h.send(msg::decline(1, 0x1002, net(100)));
  const auto same_client = h.send(msg::discover(1, 0x1003));
  ASSERT_TRUE(same_client.response);
  EXPECT_EQ(response_yiaddr(same_client.response->bytes), net(101));
  const auto other_client = h.send(msg::discover(2, 0x2001));
  ASSERT_TRUE(other_client.response);
  EXPECT_EQ(response_yiaddr(other_client.response->bytes), net(102));
  // Asked for by name, it is refused too.
  const auto asked = h.send(msg::request_init_reboot(3, 0x3001, net(100)));
  EXPECT_THAT(asked.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                            "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, DeclineOfAnotherClientsAddressIsIgnored) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::decline(2, 0x2001, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, ReleaseDeletesTheClientThenAddressDelInDocumented) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::release(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "DeleteClient",
                                              "AddressDel(RELEASE)", "PktDrop(PROCESSED)"));
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.ip_address, net(100));
  EXPECT_EQ(deleted.bytes, mac(1));
  EXPECT_EQ(deleted.size, 6u);
  EXPECT_EQ(deleted.delete_reserved, 0u);
  EXPECT_EQ(deleted.client_type, DWORD{DHCP_CLIENT_DHCP});
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(100));
  EXPECT_FALSE(handled.outcome.responded);
  EXPECT_EQ(h.server().lease_count(), 0u);
  // The address is free again.
  const auto next = h.send(msg::discover(2, 0x2001));
  ASSERT_TRUE(next.response);
  EXPECT_EQ(response_yiaddr(next.response->bytes), net(100));
}

TEST(MessageTypeSequences, ReleaseInLegacyHasNoDeleteClient) {
  Harness h(model_settings(Fidelity::legacy));
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::release(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(RELEASE)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, ClientIdentifierIsTheDeleteClientHardwareAddress) {
  Harness h;
  const Bytes client_id = {0x01, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01};
  auto with_id = [&](Bytes bytes) {
    bytes.pop_back();  // the end option
    bytes.push_back(dhcp::option::client_identifier);
    bytes.push_back(static_cast<std::uint8_t>(client_id.size()));
    bytes.insert(bytes.end(), client_id.begin(), client_id.end());
    bytes.push_back(dhcp::option::end);
    return bytes;
  };
  h.send(with_id(msg::discover(1, 0x1001)));
  h.send(with_id(msg::request_selecting(1, 0x1001, net(100))));
  const auto handled = h.send(with_id(msg::release(1, 0x1002, net(100))));
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.bytes, client_id);
  EXPECT_EQ(deleted.size, client_id.size());
}

TEST(MessageTypeSequences, InformIsAnsweredWithAnAck) {
  Harness h;
  const auto handled = h.send(msg::inform(1, 0x1001, net(50)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), 0u);
  EXPECT_EQ(h.server().lease_count(), 0u);
}

scopes::Scope bootp_scope() {
  auto scope = test_scope();
  scope.serves_bootp = true;
  return scope;
}

TEST(MessageTypeSequences, BootpToABootpScopeGetsAddressOfferOldBootpInfinite) {
  auto settings = model_settings();
  settings.config.scopes = {bootp_scope()};
  Harness h(settings);
  const auto handled = h.send(msg::bootp(1, 0x1001));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& offer = handled.first(Hook::address_offer);
  EXPECT_EQ(offer.code, DWORD{DHCP_GIVE_ADDRESS_OLD});
  EXPECT_EQ(offer.address_type, DWORD{DHCP_CLIENT_BOOTP});
  EXPECT_EQ(offer.ip_address, kServer);
  EXPECT_EQ(offer.alt_address, net(100));
  EXPECT_EQ(offer.lease_time, 0xFFFFFFFFu);
  EXPECT_TRUE(handled.outcome.bootp);
  EXPECT_FALSE(handled.outcome.message_type);
  ASSERT_TRUE(handled.response);
  EXPECT_FALSE(handled.response->type);
  EXPECT_FALSE(response_type(handled.response->bytes));
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
}

TEST(MessageTypeSequences, BootpWithoutMagicCookieIsServedByABootpScope) {
  auto settings = model_settings();
  settings.config.scopes = {bootp_scope()};
  Harness h(settings);
  auto bytes = dhcp::testing::PacketMaker().xid(0x1001).chaddr(mac(1)).no_vendor_area().bytes();
  bytes.resize(300, 0);  // a 64-byte vendor area of zeros: no cookie
  const auto handled = h.send(bytes);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, BootpToANonBootpScopeIsNoAddress) {
  Harness h;
  const auto handled = h.send(msg::bootp(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_NOADDRESS}));
  EXPECT_TRUE(handled.outcome.bootp);
}

TEST(MessageTypeSequences, LeasequeryIsInvalidAfterHandleOptions) {
  Harness h;
  const auto handled = h.send(msg::of_type(10, 1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(INVALID)", "PktDrop(PROCESSED)"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_INVALID}));
  EXPECT_EQ(handled.outcome.message_type, MessageType::leasequery);
}

TEST(MessageTypeSequences, AServerMessageTypeFromAClientIsInvalid) {
  Harness h;
  for (std::uint8_t type :
       {std::uint8_t{2}, std::uint8_t{5}, std::uint8_t{6}, std::uint8_t{9}, std::uint8_t{200}}) {
    const auto handled = h.send(msg::of_type(type, 1, 0x1000u + type));
    EXPECT_THAT(handled.sequence(),
                ElementsAre("NewPkt", "HandleOptions", "PktDrop(INVALID)", "PktDrop(PROCESSED)"))
        << "type " << int{type};
  }
}

TEST(MessageTypeSequences, AMessageTypeOptionOfTwoBytesIsInvalidAfterHandleOptions) {
  Harness h;
  const auto bytes = dhcp::testing::PacketMaker()
                         .chaddr(mac(1))
                         .option(dhcp::option::message_type, {1, 1})
                         .end()
                         .bytes();
  const auto handled = h.send(bytes);
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(INVALID)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, ClientMovingToAnotherAddressGetsDeleteClientForTheOldInDocumented) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_init_reboot(1, 0x1002, net(150)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "DeleteClient", "AddressOffer(NEW)",
                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::delete_client).ip_address, net(100));
  EXPECT_EQ(handled.first(Hook::address_offer).alt_address, net(150));
}

TEST(MessageTypeSequences, ClientMovingToAnotherAddressInLegacyHasNoDeleteClient) {
  Harness h(model_settings(Fidelity::legacy));
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::request_init_reboot(1, 0x1002, net(150)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

int count(const std::vector<std::string>& sequence, std::string_view name) {
  return static_cast<int>(std::count(sequence.begin(), sequence.end(), name));
}

// Spec §5 documented: DeleteClient "directly before a lease is deleted from
// the active lease database, for any reason". A client with a bound lease in
// one scope that DISCOVERs through a relay of another scope is offered an
// address there, which replaces (so deletes) its bound lease. (Was a bug:
// no DeleteClient.)
TEST(MessageTypeSequences, ABoundLeaseReplacedByAnOfferInAnotherScopeGetsDeleteClient) {
  auto settings = model_settings();
  auto second = test_scope();
  second.name = "second";
  second.subnet = scopes::Subnet{0xC6336400, 24};  // 198.51.100.0/24
  second.server_address = kOtherServer;
  second.ranges = {scopes::AddressRange{0xC6336464, 0xC63364C7}};
  settings.config.scopes.push_back(second);
  Harness h(settings);
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  auto relayed = msg::discover(1, 0x1002);
  const Bytes giaddr = be32(0xC6336402);
  std::copy(giaddr.begin(), giaddr.end(), relayed.begin() + dhcp::kGiaddrOffset);
  const auto handled = h.send(relayed);
  ASSERT_TRUE(handled.response);
  ASSERT_EQ(response_yiaddr(handled.response->bytes), 0xC6336464u);
  ASSERT_EQ(h.server().lease_count(), 1u) << "the client holds one lease: .100 is gone";
  EXPECT_EQ(count(handled.sequence(), "DeleteClient"), 1);
}

// A client that got its lease by INIT-REBOOT (no conflict check) DISCOVERs
// and is chosen its own bound address, which answers ping: the client itself
// answers, so it is no conflict and the client is offered its address again.
// (Was a bug: the bound lease was marked bad and deleted without DeleteClient.)
TEST(MessageTypeSequences, AClientsOwnBoundAddressAnsweringPingIsNoConflict) {
  auto settings = model_settings();
  settings.config.answering_ping = {net(150)};
  Harness h(settings);
  const auto ack = h.send(msg::request_init_reboot(1, 0x1001, net(150)));
  ASSERT_THAT(ack.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto handled = h.send(msg::discover(1, 0x1002));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(150));
}

TEST(MessageTypeSequences, RediscoveringClientIsOfferedItsBoundAddressAndGetsOld) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto offer = h.send(msg::discover(1, 0x1002));
  ASSERT_TRUE(offer.response);
  EXPECT_EQ(response_yiaddr(offer.response->bytes), net(100));
  const auto handled = h.send(msg::request_selecting(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(MessageTypeSequences, AReservedClientGetsItsReservedAddress) {
  auto settings = model_settings();
  const auto reserved_mac = mac(5);
  settings.config.scopes[0].reservations = {
      scopes::Reservation{scopes::Reservation::Key::mac,
                          std::string(reserved_mac.begin(), reserved_mac.end()), net(150)}};
  Harness h(settings);
  ASSERT_EQ(acquire_lease(h, 5, 0x5001), net(150));
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
}

}  // namespace
}  // namespace calloutemu::server::testing
