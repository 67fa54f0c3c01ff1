// pcapng files written block by block in the test, read with CaptureReader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace std::chrono_literals;
using namespace test_frames;
using ::testing::StartsWith;

constexpr std::uint16_t kIpv4 = 0x0800;

// pcapng in little-endian order.
class PcapngBuilder {
 public:
  PcapngBuilder() {
    ByteVector body;
    le32(body, 0x1A2B3C4D);  // byte-order magic
    le16(body, 1);           // version 1.0
    le16(body, 0);
    le32(body, 0xFFFFFFFF);  // section length: not given
    le32(body, 0xFFFFFFFF);
    block(0x0A0D0D0A, body);
  }

  // `tsresol`: the if_tsresol option (9: nanoseconds); none means microseconds.
  PcapngBuilder& interface(std::uint16_t link_type, std::optional<std::uint8_t> tsresol = {}) {
    ByteVector body;
    le16(body, link_type);
    le16(body, 0);
    le32(body, 65535);  // snaplen
    if (tsresol) {
      le16(body, 9);  // if_tsresol
      le16(body, 1);
      body.insert(body.end(), {*tsresol, 0, 0, 0});
      le32(body, 0);  // opt_endofopt
    }
    block(1, body);
    return *this;
  }

  PcapngBuilder& packet(std::uint32_t interface_id, std::uint64_t timestamp,
                        const ByteVector& data) {
    ByteVector body;
    le32(body, interface_id);
    le32(body, static_cast<std::uint32_t>(timestamp >> 32));
    le32(body, static_cast<std::uint32_t>(timestamp));
    le32(body, static_cast<std::uint32_t>(data.size()));
    le32(body, static_cast<std::uint32_t>(data.size()));
    body.insert(body.end(), data.begin(), data.end());
    body.resize((body.size() + 3) / 4 * 4, 0);
    block(6, body);
    return *this;
  }

  const ByteVector& bytes() const { return bytes_; }

 private:
  static void le16(ByteVector& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value));
    out.push_back(static_cast<std::uint8_t>(value >> 8));
  }
  static void le32(ByteVector& out, std::uint32_t value) {
    le16(out, static_cast<std::uint16_t>(value));
    le16(out, static_cast<std::uint16_t>(value >> 16));
  }
  void block(std::uint32_t type, const ByteVector& body) {
    const auto total = static_cast<std::uint32_t>(12 + body.size());
    le32(bytes_, type);
    le32(bytes_, total);
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    le32(bytes_, total);
  }
  ByteVector bytes_;
};

ByteVector dhcp_frame(std::uint8_t marker) {
  return ethernet(kIpv4, ipv4_udp({marker, 0, 0}));  // 3 bytes: the data needs padding
}

TEST(Pcapng, ReadsPacketsOfInterfacesWithEitherResolution) {
  test::TempDir dir;
  const auto path = dir / "test.pcapng";
  PcapngBuilder file;
  file.interface(1)
      .interface(1, 9)
      .packet(0, 1717243200'123456ULL, dhcp_frame(1))
      .packet(1, 1717243200'123456789ULL, dhcp_frame(2))
      .packet(0, 1717243201'000000ULL, ethernet(0x0806, ByteVector(28, 0)))
      .packet(0, 1717243202'000001ULL, dhcp_frame(4));
  write_file(path, file.bytes());

  const ReadAll all = read_all(path);
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), 3u);
  EXPECT_EQ(all.datagrams[0].timestamp, 1717243200s + 123456us);
  EXPECT_EQ(all.datagrams[1].timestamp, 1717243200s + 123456789ns);
  EXPECT_EQ(all.datagrams[2].timestamp, 1717243202s + 1us);
  EXPECT_EQ(all.datagrams[2].frame_number, 4u);
  for (const auto& datagram : all.datagrams) {
    EXPECT_EQ(datagram.link_type, link_type::kEthernet);
    EXPECT_EQ(datagram.payload[0], datagram.frame_number);
    EXPECT_EQ(datagram.frame, dhcp_frame(static_cast<std::uint8_t>(datagram.frame_number)));
  }
  EXPECT_EQ(all.counters.frames_read, 4u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::not_ipv4), 1u);
}

TEST(Pcapng, TimestampsBeyondTheNanosecondRangeSaturate) {
  test::TempDir dir;
  const auto path = dir / "far.pcapng";
  PcapngBuilder file;
  file.interface(1).packet(0, 0xFFFFFFFFFFFFFFFFULL, dhcp_frame(1));
  write_file(path, file.bytes());
  const ReadAll all = read_all(path);
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), 1u);
  EXPECT_EQ(all.datagrams[0].timestamp, std::chrono::nanoseconds::max());
}

TEST(Pcapng, TruncatedInTheLastBlock) {
  test::TempDir dir;
  const auto path = dir / "cut.pcapng";
  PcapngBuilder file;
  file.interface(1).packet(0, 1, dhcp_frame(1)).packet(0, 2, dhcp_frame(2));
  const ByteVector& whole = file.bytes();
  write_file(path, ByteVector(whole.begin(), whole.end() - 10));

  const ReadAll all = read_all(path);
  ASSERT_EQ(all.datagrams.size(), 1u);
  ASSERT_TRUE(all.read_error);
  EXPECT_THAT(*all.read_error,
              StartsWith(path.string() +
                         ": truncated: the file ends in the middle of a record, after frame 1 ("));
}

}  // namespace
}  // namespace calloutemu::pcap_replay
