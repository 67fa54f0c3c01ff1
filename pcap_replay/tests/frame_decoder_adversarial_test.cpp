// Hostile input: every truncation of valid frames, random bytes, random
// corruption. Each case decodes from a buffer of exactly its size, so that a
// read past the end is a heap overflow the sanitizer build reports.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "calloutemu/pcap_replay/frame_decoder.h"
#include "decode_helpers.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

constexpr std::uint16_t kIpv4 = 0x0800;

struct ValidFrame {
  std::string name;
  int link_type;
  ByteVector bytes;
  std::size_t datagram_end;  // where the UDP datagram ends; padding may follow
};

std::vector<ValidFrame> valid_frames() {
  const ByteVector payload = counting_payload(40);
  const ByteVector packet = ipv4_udp(payload);
  Ipv4Fields with_options;
  with_options.options.assign(12, 0x01);
  const ByteVector optioned = ipv4_udp(payload, with_options);
  ByteVector padded = ethernet(kIpv4, ipv4_udp({1}));
  const std::size_t padded_end = padded.size();
  padded.resize(60, 0);

  return {
      {"ethernet", link_type::kEthernet, ethernet(kIpv4, packet), 14 + packet.size()},
      {"ethernet_padded", link_type::kEthernet, padded, padded_end},
      {"qinq", link_type::kEthernet, ethernet(kIpv4, packet, {{0x88a8, 1}, {0x8100, 2}}),
       22 + packet.size()},
      {"options", link_type::kEthernet, ethernet(kIpv4, optioned), 14 + optioned.size()},
      {"sll", link_type::kLinuxSll, linux_sll(kIpv4, packet), 16 + packet.size()},
      {"sll2", link_type::kLinuxSll2, linux_sll2(kIpv4, packet), 20 + packet.size()},
      {"raw", link_type::kRaw, packet, packet.size()},
      {"linktype_raw", link_type::kLinktypeRaw, packet, packet.size()},
      {"ipv4", link_type::kIpv4, optioned, optioned.size()},
      {"null", link_type::kNull, bsd_null(2, true, packet), 4 + packet.size()},
  };
}

// What any decoded datagram must satisfy: its payload lies inside the frame,
// after the headers it claims.
void expect_consistent(const DecodeResult& result, const ByteVector& frame) {
  const auto* datagram = std::get_if<UdpDatagram>(&result);
  if (datagram == nullptr) {
    return;
  }
  ASSERT_GE(datagram->ip_header_length, 20u);
  ASSERT_LE(datagram->ip_header_length, 60u);
  const std::size_t payload_start = datagram->ip_offset + datagram->ip_header_length + 8;
  ASSERT_LE(payload_start + datagram->payload.size(), frame.size());
  if (!datagram->payload.empty()) {
    EXPECT_EQ(datagram->payload.data(), frame.data() + payload_start);
  }
}

TEST(DecodeFrameAdversarial, EveryTruncationIsTruncatedUntilTheDatagramEnds) {
  for (const ValidFrame& valid : valid_frames()) {
    SCOPED_TRACE(valid.name);
    const auto wire_length = static_cast<std::uint32_t>(valid.bytes.size());
    const UdpDatagram whole = datagram_of(decode(valid.link_type, valid.bytes));
    for (std::size_t length = 0; length <= valid.bytes.size(); ++length) {
      SCOPED_TRACE(length);
      const ByteVector prefix(valid.bytes.data(), valid.bytes.data() + length);
      // Cut by the snaplen, and a frame that was that short on the wire.
      for (std::uint32_t wire : {wire_length, static_cast<std::uint32_t>(length)}) {
        const DecodeResult result = decode_frame(valid.link_type, prefix, wire);
        if (length < valid.datagram_end) {
          EXPECT_TRUE(skipped_for(result, SkipReason::truncated));
        } else {
          EXPECT_EQ(bytes_from(datagram_of(result).payload), bytes_from(whole.payload));
        }
        expect_consistent(result, prefix);
      }
    }
  }
}

TEST(DecodeFrameAdversarial, RandomBytes) {
  std::mt19937 random(20240601);  // fixed: failures reproduce
  const int link_types[] = {link_type::kEthernet,   link_type::kLinuxSll, link_type::kLinuxSll2,
                            link_type::kRaw,        link_type::kIpv4,     link_type::kNull,
                            link_type::kLinktypeRaw};
  std::uniform_int_distribution<std::size_t> length_of(0, 160);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 50'000; ++round) {
    ByteVector frame(length_of(random));
    for (auto& b : frame) {
      b = static_cast<std::uint8_t>(byte(random));
    }
    const int type = link_types[static_cast<std::size_t>(round) % std::size(link_types)];
    if (type == link_type::kEthernet && frame.size() > 14 && round % 2 == 0) {
      frame[12] = 0x08;  // often an IPv4 EtherType, so the IP parser sees noise too
      frame[13] = 0x00;
      frame[14] = static_cast<std::uint8_t>(0x40 | (frame[14] & 0x0f));
    }
    const std::size_t wire =
        byte(random) < 200 ? frame.size() : static_cast<std::size_t>(byte(random));
    expect_consistent(decode_frame(type, frame, static_cast<std::uint32_t>(wire)), frame);
  }
}

TEST(DecodeFrameAdversarial, CorruptedValidFrames) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (const ValidFrame& valid : valid_frames()) {
    SCOPED_TRACE(valid.name);
    std::uniform_int_distribution<std::size_t> position(0, valid.bytes.size() - 1);
    for (int round = 0; round < 5'000; ++round) {
      ByteVector frame = valid.bytes;
      for (int flips = 1 + round % 4; flips > 0; --flips) {
        frame[position(random)] = static_cast<std::uint8_t>(byte(random));
      }
      expect_consistent(decode(valid.link_type, frame), frame);
    }
  }
}

}  // namespace
}  // namespace calloutemu::pcap_replay
