#include "calloutemu/pcap_replay/udp_frame.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "calloutemu/pcap_replay/frame_decoder.h"
#include "decode_helpers.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

const UdpFrameAddresses kAddresses = {
    .source_mac = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
    .destination_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    .source_address = 0,
    .destination_address = 0xFFFFFFFF,
    .source_port = 68,
    .destination_port = 67,
    .ip_id = 0xBEEF,
};

ByteVector built(const UdpFrameAddresses& addresses, const ByteVector& payload) {
  auto frame = build_udp_frame(addresses, payload);
  EXPECT_TRUE(frame) << frame.error().message;
  return frame ? *frame : ByteVector{};
}

TEST(BuildUdpFrame, LaysOutEveryHeaderField) {
  const ByteVector payload = counting_payload(300);
  const ByteVector frame = built(kAddresses, payload);
  ASSERT_EQ(frame.size(), 14u + 20 + 8 + 300);
  const ByteVector expected_headers = {
      0xff,      0xff,      0xff, 0xff, 0xff, 0xff, 0x00, 0x11,
      0x22,      0x33,      0x44, 0x55, 0x08, 0x00,  // Ethernet
      0x45,      0x00,      0x01, 0x48,              // version 4, IHL 5, DSCP 0, total length 328
      0xBE,      0xEF,      0x00, 0x00,              // id, flags (DF clear), fragment offset
      0x40,      0x11,                               // TTL 64, UDP
      frame[24], frame[25],                          // header checksum, checked below
      0x00,      0x00,      0x00, 0x00, 0xff, 0xff, 0xff, 0xff,  // addresses
      0x00,      0x44,      0x00, 0x43, 0x01, 0x34,              // ports, UDP length 308
      frame[40], frame[41],                                      // UDP checksum, checked below
  };
  EXPECT_EQ(ByteVector(frame.begin(), frame.begin() + 42), expected_headers);
  EXPECT_EQ(ByteVector(frame.begin() + 42, frame.end()), payload);
}

TEST(BuildUdpFrame, BothChecksumsHold) {
  UdpFrameAddresses addresses = kAddresses;
  addresses.source_address = 0xC0A80001;
  addresses.destination_address = 0xC0A8000A;
  for (std::size_t size : std::initializer_list<std::size_t>{0, 1, 2, 3, 300, 301, 1472, 65507}) {
    SCOPED_TRACE(size);
    addresses.ip_id = static_cast<std::uint16_t>(size);
    const ByteVector frame = built(addresses, counting_payload(size));
    const std::span<const std::uint8_t> packet = std::span(frame).subspan(14);
    EXPECT_NE(frame[24] | frame[25], 0);
    EXPECT_TRUE(checksum_holds(packet.first(20)));
    EXPECT_TRUE(udp_checksum_holds(packet));
  }
}

TEST(BuildUdpFrame, AComputedZeroUdpChecksumIsSentAsFfff) {
  // Find a payload whose UDP checksum computes to 0: vary two bytes until it does.
  ByteVector payload(2, 0);
  for (int value = 0; value <= 0xffff; ++value) {
    payload[0] = static_cast<std::uint8_t>(value >> 8);
    payload[1] = static_cast<std::uint8_t>(value);
    const ByteVector frame = built(kAddresses, payload);
    if (frame[40] == 0xff && frame[41] == 0xff) {
      EXPECT_TRUE(udp_checksum_holds(std::span(frame).subspan(14)));
      return;
    }
    ASSERT_FALSE(frame[40] == 0 && frame[41] == 0) << "0 means no checksum in UDP";
  }
  FAIL() << "no payload gave a zero checksum";
}

TEST(BuildUdpFrame, DecodesBackToWhatWasBuilt) {
  const ByteVector payload = counting_payload(548);
  const ByteVector frame = built(kAddresses, payload);
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  EXPECT_EQ(datagram.source_address, kAddresses.source_address);
  EXPECT_EQ(datagram.destination_address, kAddresses.destination_address);
  EXPECT_EQ(datagram.source_port, kAddresses.source_port);
  EXPECT_EQ(datagram.destination_port, kAddresses.destination_port);
  EXPECT_EQ(bytes_from(datagram.payload), payload);
}

TEST(BuildUdpFrame, RejectsAPayloadOverTheIpv4Maximum) {
  const ByteVector payload(kMaxUdpPayload + 1);
  auto frame = build_udp_frame(kAddresses, payload);
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().message, "UDP payload of 65508 bytes is over the IPv4 maximum of 65507");
}

}  // namespace
}  // namespace calloutemu::pcap_replay
