// RFC 2131 §4.1: where the server sends each response.
#include "calloutemu/responses/response_frame.h"

#include <gtest/gtest.h>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"
#include "test_messages.h"

namespace calloutemu::responses {
namespace {

using dhcp::MessageType;
using namespace testing;

constexpr std::uint32_t kClientAddress = 0xC0000232;  // 192.0.2.50
constexpr std::uint32_t kOffered = 0xC0000264;        // 192.0.2.100

ResponseAddressing addressed(const Bytes& request, const Bytes& response,
                             std::uint32_t request_destination = kLimitedBroadcast) {
  return address_response(captured(request, 0, request_destination), kServer, response);
}

void expect_from_server(const ResponseAddressing& addressing) {
  EXPECT_EQ(addressing.addresses.source_address, kServer);
  EXPECT_EQ(addressing.addresses.source_port, kServerPort);
  EXPECT_EQ(addressing.addresses.source_mac, kServerMac);
}

void expect_to(const ResponseAddressing& addressing, Delivery delivery, std::uint32_t address,
               std::uint16_t port, const MacAddress& mac) {
  EXPECT_EQ(to_string(addressing.delivery), to_string(delivery));
  EXPECT_EQ(addressing.addresses.destination_address, address);
  EXPECT_EQ(addressing.addresses.destination_port, port);
  EXPECT_EQ(addressing.addresses.destination_mac, mac);
  expect_from_server(addressing);
}

TEST(AddressResponse, RelayedGoesToGiaddrOnTheServerPort) {
  const Bytes discover =
      request_maker(MessageType::discover).u32_at(dhcp::kGiaddrOffset, kRelay).bytes();
  expect_to(addressed(discover, reply_to(discover, MessageType::offer, kOffered)),
            Delivery::relay_agent, kRelay, 67, kBroadcastMac);
}

TEST(AddressResponse, RelayedNakGoesToGiaddrToo) {
  const Bytes request =
      request_maker(MessageType::request).u32_at(dhcp::kGiaddrOffset, kRelay).bytes();
  expect_to(addressed(request, reply_to(request, MessageType::nak, 0)), Delivery::relay_agent,
            kRelay, 67, kBroadcastMac);
}

TEST(AddressResponse, NakIsBroadcastEvenToAClientWithAnAddress) {
  const Bytes request =
      request_maker(MessageType::request).u32_at(dhcp::kCiaddrOffset, kClientAddress).bytes();
  expect_to(addressed(request, reply_to(request, MessageType::nak, 0)), Delivery::nak_broadcast,
            kLimitedBroadcast, 68, kBroadcastMac);
}

TEST(AddressResponse, ClientWithAnAddressGetsItUnicast) {
  const Bytes request =
      request_maker(MessageType::request).u32_at(dhcp::kCiaddrOffset, kClientAddress).bytes();
  // build_reply does not copy ciaddr; the server puts it in the ACK.
  Bytes ack = reply_to(request, MessageType::ack, kClientAddress);
  store_be32(ack.data() + dhcp::kCiaddrOffset, kClientAddress);
  expect_to(addressed(request, ack, kServer), Delivery::client_address, kClientAddress, 68,
            kClientMac);
}

TEST(AddressResponse, ClientAddressWithoutAnEthernetChaddrUsesTheLinkBroadcast) {
  Bytes ack = reply_to(request_maker(MessageType::inform).byte_at(dhcp::kHtypeOffset, 6).bytes(),
                       MessageType::ack, 0);
  store_be32(ack.data() + dhcp::kCiaddrOffset, kClientAddress);
  expect_to(addressed(Bytes{}, ack), Delivery::client_address, kClientAddress, 68, kBroadcastMac);
}

TEST(AddressResponse, BroadcastFlagMeansBroadcast) {
  const Bytes discover =
      request_maker(MessageType::discover).u16_at(dhcp::kFlagsOffset, 0x8000).bytes();
  expect_to(addressed(discover, reply_to(discover, MessageType::offer, kOffered)),
            Delivery::broadcast_flag, kLimitedBroadcast, 68, kBroadcastMac);
}

TEST(AddressResponse, OtherwiseUnicastToYiaddrAndChaddr) {
  const Bytes discover = request_maker(MessageType::discover).bytes();
  expect_to(addressed(discover, reply_to(discover, MessageType::offer, kOffered)),
            Delivery::your_address, kOffered, 68, kClientMac);
}

TEST(AddressResponse, BroadcastWhenUnicastToTheClientIsImpossible) {
  for (const auto& [htype, hlen] : {std::pair{6, 6}, {1, 16}, {1, 0}}) {
    SCOPED_TRACE(htype * 100 + hlen);
    const Bytes discover = request_maker(MessageType::discover)
                               .byte_at(dhcp::kHtypeOffset, static_cast<std::uint8_t>(htype))
                               .hlen(static_cast<std::uint8_t>(hlen))
                               .bytes();
    expect_to(addressed(discover, reply_to(discover, MessageType::offer, kOffered)),
              Delivery::broadcast_other, kLimitedBroadcast, 68, kBroadcastMac);
  }
  const Bytes discover = request_maker(MessageType::discover).bytes();
  expect_to(addressed(discover, reply_to(discover, MessageType::offer, 0)),
            Delivery::broadcast_other, kLimitedBroadcast, 68, kBroadcastMac);
}

TEST(AddressResponse, TheResponsesFieldsWinOverTheRequests) {
  const Bytes discover =
      request_maker(MessageType::discover).u16_at(dhcp::kFlagsOffset, 0x8000).bytes();
  Bytes offer = reply_to(discover, MessageType::offer, kOffered);
  store_be16(offer.data() + dhcp::kFlagsOffset, 0);  // PktSend cleared the broadcast bit
  expect_to(addressed(discover, offer), Delivery::your_address, kOffered, 68, kClientMac);
  store_be32(offer.data() + dhcp::kGiaddrOffset, kRelay);  // and named a relay
  expect_to(addressed(discover, offer), Delivery::relay_agent, kRelay, 67, kBroadcastMac);
}

TEST(AddressResponse, AResponseShorterThanTheHeaderIsAddressedByTheRequest) {
  const Bytes request =
      request_maker(MessageType::request).u32_at(dhcp::kGiaddrOffset, kRelay).bytes();
  Bytes nak = reply_to(request, MessageType::nak, 0);
  store_be32(nak.data() + dhcp::kGiaddrOffset, 0);
  nak.resize(dhcp::kFixedHeaderSize - 1);
  expect_to(addressed(request, nak), Delivery::relay_agent, kRelay, 67, kBroadcastMac);

  const Bytes discover =
      request_maker(MessageType::discover).u16_at(dhcp::kFlagsOffset, 0x8000).bytes();
  expect_to(addressed(discover, Bytes(100, 0)), Delivery::broadcast_flag, kLimitedBroadcast, 68,
            kBroadcastMac);
}

TEST(AddressResponse, NothingToReadIsABroadcast) {
  for (std::size_t size : {0u, 1u, 11u, 27u, 33u, 235u}) {
    SCOPED_TRACE(size);
    expect_to(addressed(Bytes(size, 0), Bytes(size, 0)), Delivery::broadcast_other,
              kLimitedBroadcast, 68, kBroadcastMac);
  }
}

TEST(ResponseSourceAddress, OptionFiftyFourElseAUnicastDestinationElseZero) {
  const Bytes discover = request_maker(MessageType::discover).bytes();
  const Bytes with_54 = reply_to(discover, MessageType::offer, kOffered, net(9));
  const Bytes without_54 = reply_to(discover, MessageType::offer, kOffered, std::nullopt);
  EXPECT_EQ(response_source_address(captured(discover), with_54), net(9));
  EXPECT_EQ(response_source_address(captured(discover, 0, kServer), without_54), kServer);
  EXPECT_EQ(response_source_address(captured(discover), without_54), 0u);
  EXPECT_EQ(response_source_address(captured(discover, 0, 0xE0000001), without_54), 0u);
  const Bytes short_54 =
      reply_to(discover, MessageType::offer, kOffered, std::nullopt, {{54, {192, 0, 2}}});
  EXPECT_EQ(response_source_address(captured(discover, 0, kServer), short_54), kServer);
  EXPECT_EQ(response_source_address(captured(discover, 0, kServer), Bytes(10, 0)), kServer);
}

TEST(ResponseSourceAddress, ABootpReplyNamesItsServerInSiaddr) {
  dhcp::testing::PacketMaker maker;  // no option 53: BOOTP
  const Bytes request = maker.bytes();
  Bytes reply = reply_to(request, std::nullopt, kOffered, std::nullopt);
  EXPECT_EQ(response_source_address(captured(request, 0, kServer), reply), kServer);
  store_be32(reply.data() + dhcp::kSiaddrOffset, net(9));
  EXPECT_EQ(response_source_address(captured(request), reply), net(9));
  // In a DHCP reply siaddr is the next server, not this one.
  Bytes offer = reply_to(request_maker(MessageType::discover).bytes(), MessageType::offer, kOffered,
                         std::nullopt);
  store_be32(offer.data() + dhcp::kSiaddrOffset, net(9));
  EXPECT_EQ(response_source_address(captured(request), offer), 0u);
}

TEST(ResponseFrame, CarriesTheResponseExactlyWithGoodChecksums) {
  const Bytes discover = request_maker(MessageType::discover).bytes();
  Bytes offer = reply_to(discover, MessageType::offer, kOffered);
  offer.push_back(0xAB);  // an odd length, for the UDP checksum
  auto frame = response_frame(captured(discover), kServer, offer, 0x1234);
  ASSERT_TRUE(frame) << frame.error().message;
  ASSERT_EQ(frame->size(), 42 + offer.size());
  EXPECT_EQ(Bytes(frame->begin() + 42, frame->end()), offer);
  EXPECT_EQ(Bytes(frame->begin(), frame->begin() + 6), Bytes(kClientMac.begin(), kClientMac.end()));
  EXPECT_EQ(load_be16(frame->data() + 18), 0x1234);  // IPv4 identification
  EXPECT_EQ(load_be32(frame->data() + 26), kServer);
  EXPECT_EQ(load_be32(frame->data() + 30), kOffered);
  EXPECT_TRUE(checksums_hold(*frame));
}

TEST(ResponseFrame, OverTheIpv4MaximumIsAnError) {
  auto frame = response_frame(captured(Bytes{}), kServer, Bytes(65508, 0));
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().message, "UDP payload of 65508 bytes is over the IPv4 maximum of 65507");
}

TEST(Delivery, HasAName) {
  EXPECT_EQ(to_string(Delivery::relay_agent), "relay agent");
  EXPECT_EQ(to_string(Delivery::nak_broadcast), "NAK broadcast");
  EXPECT_EQ(to_string(Delivery::client_address), "client address");
  EXPECT_EQ(to_string(Delivery::broadcast_flag), "broadcast flag");
  EXPECT_EQ(to_string(Delivery::your_address), "your address");
  EXPECT_EQ(to_string(Delivery::broadcast_other), "broadcast");
}

}  // namespace
}  // namespace calloutemu::responses
