// Decisions taken from the captured server's replies (--decisions capture,
// and auto where the capture holds a reply).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::MessageType;
using loader::Hook;
using ::testing::ElementsAre;

ServerSettings capture_settings(Fidelity fidelity = Fidelity::documented) {
  ServerSettings settings;
  settings.fidelity = fidelity;
  settings.decisions = DecisionMode::capture;
  return settings;  // no scope: the capture decides everything
}

// Sends `request` at `seconds` with `reply` (observed first, as a replay does).
Handled with_reply(Harness& h, const Bytes& request, double seconds, const Bytes& reply_bytes) {
  const auto reply = captured_reply(reply_bytes, seconds + 0.01);
  h.server().observe_reply(reply);
  return h.send(request, seconds, &reply);
}

TEST(CaptureDecisions, OfferIsSentWithExactlyTheCapturedBytes) {
  Harness h(capture_settings());
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto handled = with_reply(h, msg::discover(1, 0x1001), 0.0, offer);
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::pkt_send).bytes, offer);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes, offer);
  EXPECT_EQ(handled.outcome.source, DecisionSource::capture);
  EXPECT_EQ(handled.outcome.response_type, MessageType::offer);
  // With no scope, IpAddress is the captured server's address.
  EXPECT_EQ(handled.first(Hook::new_pkt).ip_address, kServer);
}

TEST(CaptureDecisions, AckIsAddressOfferNewThenTheCapturedAck) {
  Harness h(capture_settings());
  const auto ack = msg::reply(MessageType::ack, 1, 0x1001, net(120), 3600);
  const auto handled = with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0, ack);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& offer = handled.first(Hook::address_offer);
  EXPECT_EQ(offer.address_type, DWORD{DHCP_CLIENT_DHCP});
  EXPECT_EQ(offer.alt_address, net(120));
  EXPECT_EQ(offer.lease_time, 3600u);
  EXPECT_EQ(offer.ip_address, kServer);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes, ack);
}

TEST(CaptureDecisions, SecondAckOfTheSameAddressIsOld) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  const auto handled = with_reply(h, msg::request_renewing(1, 0x1002, net(120)), 10.0,
                                  msg::reply(MessageType::ack, 1, 0x1002, net(120)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(CaptureDecisions, NakIsAddressDelNackedThenTheCapturedNak) {
  Harness h(capture_settings());
  const auto nak = msg::reply(MessageType::nak, 1, 0x1001, 0, std::nullopt);
  const auto handled = with_reply(h, msg::request_init_reboot(1, 0x1001, net(130)), 0.0, nak);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(130));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes, nak);
}

TEST(CaptureDecisions, NoReplyIsNoAddress) {
  Harness h(capture_settings());
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.outcome.source, DecisionSource::capture);
}

TEST(CaptureDecisions, AReplyThatDoesNotAnswerTheRequestIsNoAddress) {
  Harness h(capture_settings());
  const auto handled = with_reply(h, msg::discover(1, 0x1001), 0.0,
                                  msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
}

TEST(CaptureDecisions, InformWithoutReplyIsStillAnsweredWithAnAck) {
  Harness h(capture_settings());
  h.server().observe_reply(captured_reply(msg::reply(MessageType::offer, 9, 0x9, net(180)), 0.0));
  const auto handled = h.send(msg::inform(1, 0x1001, net(50)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
}

TEST(CaptureDecisions, RequestWithoutReplyForAnotherServerIsWrongServer) {
  Harness h(capture_settings());
  h.server().observe_reply(captured_reply(msg::reply(MessageType::offer, 9, 0x9, net(180)), 0.0));
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(120), kOtherServer));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "PktDrop(WRONG_SERVER)",
                                              "PktDrop(PROCESSED)"));
}

TEST(CaptureDecisions, BootpReplyIsAddressOfferOldBootp) {
  Harness h(capture_settings());
  const auto reply = msg::reply(std::nullopt, 1, 0x1001, net(140), std::nullopt);
  const auto handled = with_reply(h, msg::bootp(1, 0x1001), 0.0, reply);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& offer = handled.first(Hook::address_offer);
  EXPECT_EQ(offer.address_type, DWORD{DHCP_CLIENT_BOOTP});
  EXPECT_EQ(offer.alt_address, net(140));
  EXPECT_EQ(offer.lease_time, 0xFFFFFFFFu);
}

TEST(CaptureDecisions, CapturedLeaseExpiresOnCaptureTime) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120), 60));
  const auto handled = h.send(msg::inform(2, 0x2001, net(50)), 120.0);
  ASSERT_FALSE(handled.calls.empty());
  EXPECT_EQ(handled.sequence().front(), "DeleteClient");
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.ip_address, net(120));
  EXPECT_EQ(deleted.bytes, mac(1));
  EXPECT_EQ(deleted.client_type, DWORD{DHCP_CLIENT_DHCP});
}

TEST(CaptureDecisions, CapturedLeaseExpiryInLegacyHasNoDeleteClient) {
  Harness h(capture_settings(Fidelity::legacy));
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120), 60));
  const auto handled = h.send(msg::inform(2, 0x2001, net(50)), 120.0);
  EXPECT_EQ(handled.sequence().front(), "NewPkt");
}

TEST(CaptureDecisions, ReleaseOfACapturedLeaseDeletesTheClientInDocumented) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  const auto handled = h.send(msg::release(1, 0x1002, net(120)), 5.0);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "DeleteClient",
                                              "AddressDel(RELEASE)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(120));
  EXPECT_EQ(h.server().lease_count(), 0u);
}

TEST(CaptureDecisions, DeclineOfACapturedLeaseIsAddressDelThenDeleteClient) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  const auto handled = h.send(msg::decline(1, 0x1002, net(120)), 5.0);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(DECLINE)",
                                              "DeleteClient", "PktDrop(PROCESSED)"));
}

// Regression (found in review, fixed): a captured ACK of another address
// replaced the client's old captured lease with no DeleteClient, although
// spec §5 documented wants it before a lease is deleted "for any reason"
// (the model's model_ack does it).
TEST(CaptureDecisions, ClientMovingToAnotherCapturedAddressGetsDeleteClientInDocumented) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  const auto handled = with_reply(h, msg::request_init_reboot(1, 0x1002, net(121)), 5.0,
                                  msg::reply(MessageType::ack, 1, 0x1002, net(121)));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "DeleteClient", "AddressOffer(NEW)",
                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

// Regression (found in review, fixed): a captured NAK removed the client's
// captured lease with no DeleteClient, so the next ACK of the address it
// still held was NEW. The model's NAK leaves the client's lease alone.
TEST(CaptureDecisions, ACapturedNakLeavesTheClientsLeaseAlone) {
  Harness h(capture_settings());
  with_reply(h, msg::request_selecting(1, 0x1001, net(120)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(120)));
  const auto nak = with_reply(h, msg::request_init_reboot(1, 0x1002, net(130)), 5.0,
                              msg::reply(MessageType::nak, 1, 0x1002, 0, std::nullopt));
  EXPECT_THAT(nak.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(NACKED)",
                                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto handled = with_reply(h, msg::request_init_reboot(1, 0x1003, net(120)), 10.0,
                                  msg::reply(MessageType::ack, 1, 0x1003, net(120)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(OLD)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(CaptureDecisions, AutoUsesTheCaptureWhereItHasAReplyAndTheScopesElsewhere) {
  auto settings = model_settings();
  settings.decisions = DecisionMode::automatic;
  Harness h(settings);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(177));
  const auto captured = with_reply(h, msg::discover(1, 0x1001), 0.0, offer);
  EXPECT_EQ(captured.outcome.source, DecisionSource::capture);
  ASSERT_TRUE(captured.response);
  EXPECT_EQ(captured.response->bytes, offer);
  const auto modelled = h.send(msg::discover(2, 0x2001), 1.0);
  EXPECT_EQ(modelled.outcome.source, DecisionSource::model);
  ASSERT_TRUE(modelled.response);
  EXPECT_EQ(response_yiaddr(modelled.response->bytes), net(100));
}

TEST(CaptureDecisions, AutoDecidesADeclineByTheCaptureWhenTheCaptureGrantedTheLease) {
  auto settings = model_settings();
  settings.decisions = DecisionMode::automatic;
  Harness h(settings);
  with_reply(h, msg::request_selecting(1, 0x1001, net(177)), 0.0,
             msg::reply(MessageType::ack, 1, 0x1001, net(177)));
  const auto handled = h.send(msg::decline(1, 0x1002, net(177)), 5.0);
  EXPECT_EQ(handled.outcome.source, DecisionSource::capture);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressDel(DECLINE)",
                                              "DeleteClient", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::address_del).alt_address, net(177));
  // A client the capture granted nothing is decided by the scopes.
  const auto other = h.send(msg::decline(2, 0x2001, net(150)), 6.0);
  EXPECT_EQ(other.outcome.source, DecisionSource::model);
}

TEST(CaptureDecisions, ModelModeIgnoresTheCapturedReply) {
  Harness h(model_settings());
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(177));
  const auto handled = with_reply(h, msg::discover(1, 0x1001), 0.0, offer);
  EXPECT_EQ(handled.outcome.source, DecisionSource::model);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
}

TEST(CaptureDecisions, ReadCapturedReplyReadsTheDecision) {
  const auto bytes = msg::reply(MessageType::ack, 1, 0x1001, net(120), 3600);
  const auto reply = captured_reply(bytes, 0.0, 0x0A000001);
  EXPECT_EQ(reply.message_type, MessageType::ack);
  EXPECT_FALSE(reply.malformed_message_type);
  EXPECT_EQ(reply.yiaddr, net(120));
  EXPECT_EQ(reply.server_identifier, kServer);
  EXPECT_EQ(reply.server_address(), kServer);
  EXPECT_EQ(reply.lease_time, 3600u);
  EXPECT_EQ(reply.payload, bytes);
  EXPECT_TRUE(answers(reply, MessageType::request, false));
  EXPECT_TRUE(answers(reply, MessageType::inform, false));
  EXPECT_FALSE(answers(reply, MessageType::discover, false));
  EXPECT_FALSE(answers(reply, std::nullopt, true));
}

TEST(CaptureDecisions, ReadCapturedReplyRefusesARequest) {
  CaptureOrigin origin;
  EXPECT_FALSE(read_captured_reply(origin, 0, msg::discover(1, 0x1001)).ok());
  EXPECT_FALSE(read_captured_reply(origin, 0, Bytes(100, 2)).ok());
}

}  // namespace
}  // namespace calloutemu::server::testing
