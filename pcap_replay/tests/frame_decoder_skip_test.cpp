// Every reason decode_frame gives for not returning a datagram.
#include <gtest/gtest.h>

#include <initializer_list>

#include "calloutemu/pcap_replay/frame_decoder.h"
#include "decode_helpers.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

constexpr std::uint16_t kIpv4 = 0x0800;
const ByteVector kPayload = counting_payload(300);

std::optional<SkipReason> decode_ethernet_ipv4(const ByteVector& packet) {
  return skip_of(link_type::kEthernet, ethernet(kIpv4, packet));
}

TEST(DecodeFrameSkips, UnsupportedLinkType) {
  const ByteVector packet = ipv4_udp(kPayload);
  for (int type : {105 /* 802.11 */, 127 /* radiotap */, -1, 14, 108, 1000}) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(skipped_for(skip_of(type, packet), SkipReason::unsupported_link_type));
  }
}

TEST(DecodeFrameSkips, OtherEtherTypesAreNotIpv4) {
  const ByteVector packet = ipv4_udp(kPayload);
  for (std::uint16_t type : std::initializer_list<std::uint16_t>{
           0x86DD /* IPv6 */, 0x0806 /* ARP */, 0x002E /* 802.3 length */}) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(
        skipped_for(skip_of(link_type::kEthernet, ethernet(type, packet)), SkipReason::not_ipv4));
    EXPECT_TRUE(
        skipped_for(skip_of(link_type::kLinuxSll, linux_sll(type, packet)), SkipReason::not_ipv4));
    EXPECT_TRUE(skipped_for(skip_of(link_type::kLinuxSll2, linux_sll2(type, packet)),
                            SkipReason::not_ipv4));
  }
  EXPECT_TRUE(skipped_for(skip_of(link_type::kEthernet, ethernet(0x86DD, packet, {{0x8100, 5}})),
                          SkipReason::not_ipv4));
}

TEST(DecodeFrameSkips, RawIpv6IsNotIpv4) {
  ByteVector packet = ipv4_udp(kPayload);
  packet[0] = 0x60;
  EXPECT_TRUE(skipped_for(skip_of(link_type::kRaw, packet), SkipReason::not_ipv4));
  EXPECT_TRUE(skipped_for(skip_of(link_type::kLinktypeRaw, packet), SkipReason::not_ipv4));
  // DLT_IPV4 promises IPv4: another version is a broken header.
  EXPECT_TRUE(skipped_for(skip_of(link_type::kIpv4, packet), SkipReason::malformed_ip_header));
}

TEST(DecodeFrameSkips, LoopbackOfAnotherFamilyIsNotIpv4) {
  const ByteVector packet = ipv4_udp(kPayload);
  for (std::uint32_t family : {24u, 28u, 30u /* AF_INET6 on BSDs */, 0u, 0x02000002u}) {
    SCOPED_TRACE(family);
    EXPECT_TRUE(skipped_for(skip_of(link_type::kNull, bsd_null(family, true, packet)),
                            SkipReason::not_ipv4));
  }
}

TEST(DecodeFrameSkips, OtherIpProtocolsAreNotUdp) {
  for (std::uint8_t protocol :
       std::initializer_list<std::uint8_t>{1 /* ICMP */, 6 /* TCP */, 47 /* GRE */, 0}) {
    SCOPED_TRACE(protocol);
    Ipv4Fields ip;
    ip.protocol = protocol;
    EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::not_udp));
  }
}

TEST(DecodeFrameSkips, AFragmentOfAnotherProtocolIsNotUdp) {
  Ipv4Fields ip;
  ip.protocol = 6;
  ip.flags_fragment = 0x2000;
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::not_udp));
}

TEST(DecodeFrameSkips, UdpFragments) {
  // First fragment (MF), middle (MF and offset), last (offset only), DF with offset.
  for (std::uint16_t flags_fragment :
       std::initializer_list<std::uint16_t>{0x2000, 0x2010, 0x0010, 0x4001, 0x1FFF}) {
    SCOPED_TRACE(flags_fragment);
    Ipv4Fields ip;
    ip.flags_fragment = flags_fragment;
    EXPECT_TRUE(
        skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::ipv4_fragment));
  }
}

TEST(DecodeFrameSkips, TruncatedLinkLayerHeaders) {
  const ByteVector empty;
  for (int type : {link_type::kEthernet, link_type::kLinuxSll, link_type::kLinuxSll2,
                   link_type::kRaw, link_type::kIpv4, link_type::kNull}) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(skipped_for(skip_of(type, empty), SkipReason::truncated));
  }
  EXPECT_TRUE(skipped_for(skip_of(link_type::kEthernet, ByteVector(13, 0)), SkipReason::truncated));
  // A VLAN tag cut before its TCI.
  ByteVector tagged = ethernet(0x8100, {0x00});
  EXPECT_TRUE(skipped_for(skip_of(link_type::kEthernet, tagged), SkipReason::truncated));
}

TEST(DecodeFrameSkips, TruncatedIpHeader) {
  ByteVector packet = ipv4_udp(kPayload);
  packet.resize(19);
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(packet), SkipReason::truncated));
}

TEST(DecodeFrameSkips, TruncatedIpOptions) {
  Ipv4Fields ip;
  ip.options.assign(40, 0x01);
  ByteVector packet = ipv4_udp(kPayload, ip);
  packet.resize(50);  // inside the options
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(packet), SkipReason::truncated));
}

TEST(DecodeFrameSkips, IpTotalLengthPastTheFrame) {
  Ipv4Fields ip;
  ip.total_length = static_cast<std::uint16_t>(20 + 8 + kPayload.size() + 1);
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::truncated));
}

TEST(DecodeFrameSkips, SnaplenCutIntoThePayload) {
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload));
  const ByteVector captured(frame.begin(), frame.end() - 1);
  const auto wire_length = static_cast<std::uint32_t>(frame.size());
  EXPECT_TRUE(skipped_for(decode_frame(link_type::kEthernet, captured, wire_length),
                          SkipReason::truncated));
}

TEST(DecodeFrameSkips, BytesPastTheWireLengthDoNotCount) {
  const ByteVector frame = ethernet(kIpv4, ipv4_udp(kPayload));
  const auto short_wire = static_cast<std::uint32_t>(frame.size() - 1);
  EXPECT_TRUE(
      skipped_for(decode_frame(link_type::kEthernet, frame, short_wire), SkipReason::truncated));
  EXPECT_TRUE(skipped_for(decode_frame(link_type::kEthernet, frame, 0), SkipReason::truncated));
}

TEST(DecodeFrameSkips, MalformedIpHeaders) {
  ByteVector wrong_version = ipv4_udp(kPayload);
  wrong_version[0] = 0x65;
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(wrong_version), SkipReason::malformed_ip_header));

  for (std::uint8_t ihl = 0; ihl < 5; ++ihl) {
    SCOPED_TRACE(int{ihl});
    Ipv4Fields ip;
    ip.version_ihl = static_cast<std::uint8_t>(0x40 | ihl);
    EXPECT_TRUE(
        skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::malformed_ip_header));
  }

  Ipv4Fields short_total;
  short_total.total_length = 19;
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, short_total)),
                          SkipReason::malformed_ip_header));

  Ipv4Fields total_inside_options;
  total_inside_options.options.assign(8, 0x01);
  total_inside_options.total_length = 24;  // shorter than the 28-byte header
  EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, total_inside_options)),
                          SkipReason::malformed_ip_header));
}

TEST(DecodeFrameSkips, IpPayloadTooShortForAUdpHeader) {
  Ipv4Fields ip;
  ip.total_length = 20 + 7;
  EXPECT_TRUE(
      skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::malformed_udp_header));
}

TEST(DecodeFrameSkips, UdpLengthUnderTheHeader) {
  for (std::uint16_t length : std::initializer_list<std::uint16_t>{0, 1, 7}) {
    SCOPED_TRACE(length);
    EXPECT_TRUE(skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, {}, {.length = length})),
                            SkipReason::malformed_udp_header));
  }
}

TEST(DecodeFrameSkips, UdpLengthPastTheIpPayload) {
  // The frame has the bytes (Ethernet padding), but the IP datagram does not.
  Ipv4Fields ip;
  ip.total_length = static_cast<std::uint16_t>(20 + 8 + kPayload.size() - 1);
  EXPECT_TRUE(
      skipped_for(decode_ethernet_ipv4(ipv4_udp(kPayload, ip)), SkipReason::malformed_udp_header));
}

}  // namespace
}  // namespace calloutemu::pcap_replay
