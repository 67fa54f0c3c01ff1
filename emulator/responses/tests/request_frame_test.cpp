// Dropped requests rebuilt as the frames they came in.
#include <gtest/gtest.h>

#include "calloutemu/byte_order.h"
#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/responses/response_frame.h"
#include "test_messages.h"

namespace calloutemu::responses {
namespace {

using dhcp::MessageType;
using namespace testing;

const MacAddress kClient = kClientMac;

TEST(RequestAddressing, BroadcastFromTheClient) {
  const Bytes discover = request_maker(MessageType::discover).bytes();
  const auto addresses = request_addressing(captured(discover, 0, kLimitedBroadcast));
  EXPECT_EQ(addresses.source_mac, kClient);
  EXPECT_EQ(addresses.destination_mac, kBroadcastMac);
  EXPECT_EQ(addresses.source_address, 0u);
  EXPECT_EQ(addresses.destination_address, kLimitedBroadcast);
  EXPECT_EQ(addresses.source_port, 68);
  EXPECT_EQ(addresses.destination_port, 67);
}

TEST(RequestAddressing, UnicastToTheServerGoesToItsMac) {
  const Bytes request = request_maker(MessageType::request).bytes();
  const auto addresses = request_addressing(captured(request, net(50), kServer));
  EXPECT_EQ(addresses.source_mac, kClient);
  EXPECT_EQ(addresses.destination_mac, kServerMac);
  EXPECT_EQ(addresses.source_address, net(50));
  EXPECT_EQ(addresses.destination_address, kServer);
}

TEST(RequestAddressing, RelayedComesFromTheServerPortAndAnUnknownMac) {
  const Bytes discover =
      request_maker(MessageType::discover).u32_at(dhcp::kGiaddrOffset, kRelay).bytes();
  const auto addresses = request_addressing(captured(discover, kRelay, kServer));
  EXPECT_EQ(addresses.source_mac, kUnknownSenderMac);
  EXPECT_EQ(addresses.source_port, 67);
  EXPECT_EQ(addresses.destination_port, 67);
}

TEST(RequestAddressing, NonEthernetOrShortChaddrGivesAnUnknownMac) {
  const Bytes token_ring =
      request_maker(MessageType::discover).byte_at(dhcp::kHtypeOffset, 6).bytes();
  EXPECT_EQ(request_addressing(captured(token_ring)).source_mac, kUnknownSenderMac);
  const Bytes discover = request_maker(MessageType::discover).bytes();
  const Bytes five(discover.begin(), discover.begin() + dhcp::kChaddrOffset + 5);
  EXPECT_EQ(request_addressing(captured(five)).source_mac, kUnknownSenderMac);
  const Bytes six(discover.begin(), discover.begin() + dhcp::kChaddrOffset + 6);
  EXPECT_EQ(request_addressing(captured(six)).source_mac, kClient);
}

TEST(RequestFrame, CarriesTheCapturedPayloadExactlyEvenWhenMalformed) {
  for (const Bytes& payload :
       {request_maker(MessageType::discover).bytes(), Bytes{1, 2, 3, 4, 5}, Bytes{}}) {
    SCOPED_TRACE(payload.size());
    auto frame = request_frame(captured(payload, net(50), kServer), 7);
    ASSERT_TRUE(frame) << frame.error().message;
    EXPECT_EQ(Bytes(frame->begin() + 42, frame->end()), payload);
    EXPECT_EQ(load_be16(frame->data() + 18), 7);
    EXPECT_EQ(load_be32(frame->data() + 26), net(50));
    EXPECT_EQ(load_be32(frame->data() + 30), kServer);
    EXPECT_TRUE(checksums_hold(*frame));
  }
}

TEST(IsUnicast, ExcludesZeroMulticastAndBroadcast) {
  EXPECT_TRUE(is_unicast(kServer));
  EXPECT_TRUE(is_unicast(0x0A000001));
  EXPECT_TRUE(is_unicast(0xDFFFFFFF));
  EXPECT_FALSE(is_unicast(0));
  EXPECT_FALSE(is_unicast(0xE0000001));
  EXPECT_FALSE(is_unicast(0xF0000001));
  EXPECT_FALSE(is_unicast(kLimitedBroadcast));
}

}  // namespace
}  // namespace calloutemu::responses
