#include "calloutemu/pcap_replay/frame_decoder.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include <set>
#include <string_view>

#include "decode_helpers.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

constexpr std::uint16_t kIpv4 = 0x0800;
const ByteVector kPayload = counting_payload(300);

void expect_default_datagram(const UdpDatagram& datagram, std::size_t ip_offset) {
  EXPECT_EQ(datagram.source_address, 0xC0000201u);
  EXPECT_EQ(datagram.destination_address, 0xC0000202u);
  EXPECT_EQ(datagram.source_port, 68);
  EXPECT_EQ(datagram.destination_port, 67);
  EXPECT_EQ(bytes_from(datagram.payload), kPayload);
  EXPECT_EQ(datagram.ip_offset, ip_offset);
  EXPECT_EQ(datagram.ip_header_length, 20u);
}

TEST(DecodeFrame, Ethernet) {
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload));
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  expect_default_datagram(datagram, 14);
  EXPECT_EQ(datagram.vlan_tags.count, 0u);
  // The payload is a view into the frame.
  EXPECT_EQ(datagram.payload.data(), frame.data() + 14 + 20 + 8);
}

TEST(DecodeFrame, AddressesAndPortsAreInHostOrder) {
  Ipv4Fields ip;
  ip.source = 0x0A000001;       // 10.0.0.1
  ip.destination = 0xFFFFFFFF;  // broadcast
  const UdpFields udp = {.source_port = 0x1234, .destination_port = 0xABCD, .length = {}};
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload, ip, udp));
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  EXPECT_EQ(datagram.source_address, 0x0A000001u);
  EXPECT_EQ(datagram.destination_address, 0xFFFFFFFFu);
  EXPECT_EQ(datagram.source_port, 0x1234);
  EXPECT_EQ(datagram.destination_port, 0xABCD);
}

TEST(DecodeFrame, OneVlanTag) {
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload), {{0x8100, 0x6064}});
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  expect_default_datagram(datagram, 18);
  ASSERT_EQ(datagram.vlan_tags.count, 1u);
  EXPECT_EQ(datagram.vlan_tags.tags()[0].tpid, 0x8100);
  EXPECT_EQ(datagram.vlan_tags.tags()[0].tci, 0x6064);
  EXPECT_EQ(datagram.vlan_tags.tags()[0].vlan_id(), 100);  // priority 3 in the top bits
}

TEST(DecodeFrame, QinQWithEveryTagType) {
  const Tags tags = {{0x88a8, 10}, {0x9100, 20}, {0x8100, 30}};
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload), tags);
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  expect_default_datagram(datagram, 26);
  ASSERT_EQ(datagram.vlan_tags.tags().size(), 3u);
  for (std::size_t i = 0; i < tags.size(); ++i) {
    EXPECT_EQ(datagram.vlan_tags.tags()[i].tpid, tags[i].first);
    EXPECT_EQ(datagram.vlan_tags.tags()[i].vlan_id(), tags[i].second);
  }
}

TEST(DecodeFrame, ManyTagsAreCountedAndTheFirstOnesRecorded) {
  Tags tags;
  for (std::uint16_t id = 1; id <= 9; ++id) {
    tags.emplace_back(0x8100, id);
  }
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload), tags);
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  expect_default_datagram(datagram, 14 + 9 * 4);
  EXPECT_EQ(datagram.vlan_tags.count, 9u);
  ASSERT_EQ(datagram.vlan_tags.tags().size(), VlanTags::kMaxRecorded);
  EXPECT_EQ(datagram.vlan_tags.tags().back().vlan_id(), VlanTags::kMaxRecorded);
}

TEST(DecodeFrame, LinuxCookedV1) {
  const ByteVector frame = linux_sll(kIpv4, ipv4_udp(kPayload));
  expect_default_datagram(datagram_of(decode(link_type::kLinuxSll, frame)), 16);
}

TEST(DecodeFrame, LinuxCookedV1WithAVlanTag) {
  ByteVector tagged;
  append_be16(tagged, 42);  // TCI, then the EtherType
  append_be16(tagged, kIpv4);
  const ByteVector packet = ipv4_udp(kPayload);
  tagged.insert(tagged.end(), packet.begin(), packet.end());
  const ByteVector frame = linux_sll(0x8100, tagged);
  const UdpDatagram datagram = datagram_of(decode(link_type::kLinuxSll, frame));
  expect_default_datagram(datagram, 20);
  ASSERT_EQ(datagram.vlan_tags.count, 1u);
  EXPECT_EQ(datagram.vlan_tags.tags()[0].vlan_id(), 42);
}

TEST(DecodeFrame, LinuxCookedV2) {
  const ByteVector frame = linux_sll2(kIpv4, ipv4_udp(kPayload));
  expect_default_datagram(datagram_of(decode(link_type::kLinuxSll2, frame)), 20);
}

TEST(DecodeFrame, RawIpInEveryRawLinkType) {
  const ByteVector packet = ipv4_udp(kPayload);
  for (int type : {link_type::kRaw, link_type::kLinktypeRaw, link_type::kIpv4}) {
    SCOPED_TRACE(type);
    expect_default_datagram(datagram_of(decode(type, packet)), 0);
  }
}

TEST(DecodeFrame, BsdLoopbackInEitherByteOrder) {
  for (bool little_endian : {true, false}) {
    SCOPED_TRACE(little_endian);
    const ByteVector frame = bsd_null(2, little_endian, ipv4_udp(kPayload));
    expect_default_datagram(datagram_of(decode(link_type::kNull, frame)), 4);
  }
}

TEST(DecodeFrame, Ipv4OptionsOfEveryLength) {
  for (std::size_t words = 1; words <= 10; ++words) {
    SCOPED_TRACE(words);
    Ipv4Fields ip;
    ip.options.assign(words * 4, 0x01);  // NOPs
    const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload, ip));
    const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
    EXPECT_EQ(datagram.ip_header_length, 20 + words * 4);
    EXPECT_EQ(datagram.source_address, 0xC0000201u);
    EXPECT_EQ(datagram.destination_port, 67);
    EXPECT_EQ(bytes_from(datagram.payload), kPayload);
  }
}

TEST(DecodeFrame, EmptyPayload) {
  const ByteVector frame = ethernet(kIpv4, ipv4_udp({}));
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  EXPECT_TRUE(datagram.payload.empty());
}

TEST(DecodeFrame, EthernetPaddingAfterTheDatagramIsNotPayload) {
  ByteVector frame = ethernet(kIpv4, ipv4_udp({1, 2, 3}));
  frame.resize(60, 0xEE);  // padded to the Ethernet minimum
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  EXPECT_EQ(bytes_from(datagram.payload), (ByteVector{1, 2, 3}));
}

TEST(DecodeFrame, PayloadEndsWhereTheUdpLengthSays) {
  // The IP payload is longer than the UDP datagram: the rest is not payload.
  const ByteVector frame =
      ethernet(kIpv4, ipv4_udp(kPayload, {}, {.length = static_cast<std::uint16_t>(8 + 10)}));
  const UdpDatagram datagram = datagram_of(decode(link_type::kEthernet, frame));
  EXPECT_EQ(bytes_from(datagram.payload), ByteVector(kPayload.begin(), kPayload.begin() + 10));
}

TEST(DecodeFrame, SnaplenCutInThePaddingStillDecodes) {
  ByteVector frame = ethernet(kIpv4, ipv4_udp({1, 2, 3}));
  const std::size_t datagram_end = frame.size();
  frame.resize(60, 0);
  const ByteVector captured(frame.data(), frame.data() + datagram_end);
  const UdpDatagram datagram = datagram_of(decode_frame(link_type::kEthernet, captured, 60));
  EXPECT_EQ(bytes_from(datagram.payload), (ByteVector{1, 2, 3}));
}

TEST(DecodeFrame, ChecksumsAreNotVerified) {
  ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload));
  frame[14 + 10] = 0xDE;  // IPv4 header checksum
  frame[14 + 11] = 0xAD;
  frame[14 + 20 + 6] = 0xBE;  // UDP checksum
  frame[14 + 20 + 7] = 0xEF;
  expect_default_datagram(datagram_of(decode(link_type::kEthernet, frame)), 14);
}

TEST(DecodeFrame, DontFragmentAndTheReservedFlagAreNotFragments) {
  for (std::uint16_t flags : std::initializer_list<std::uint16_t>{0x4000, 0x8000, 0xC000}) {
    SCOPED_TRACE(flags);
    Ipv4Fields ip;
    ip.flags_fragment = flags;
    const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload, ip));
    expect_default_datagram(datagram_of(decode(link_type::kEthernet, frame)), 14);
  }
}

TEST(SkipReason, EveryReasonHasItsOwnName) {
  std::set<std::string_view> names;
  for (SkipReason reason : kAllSkipReasons) {
    EXPECT_FALSE(to_string(reason).empty());
    names.insert(to_string(reason));
  }
  EXPECT_EQ(names.size(), kSkipReasonCount);
  EXPECT_EQ(to_string(SkipReason::ipv4_fragment), "IPv4 fragment");
}

}  // namespace
}  // namespace calloutemu::pcap_replay
