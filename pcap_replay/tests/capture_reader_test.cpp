#include "calloutemu/pcap_replay/capture_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace std::chrono_literals;
using namespace test_frames;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::uint16_t kIpv4 = 0x0800;

ByteVector udp_frame_to(std::uint16_t port, std::uint8_t marker) {
  return ethernet(
      kIpv4, ipv4_udp({marker}, {}, {.source_port = 68, .destination_port = port, .length = {}}));
}

ByteVector arp_frame() {
  return ethernet(0x0806, ByteVector(28, 0));
}

// Frame 1: to 67, 2: ARP, 3: to 68, 4: TCP, 5: to 67, 6: UDP fragment, 7: to 67.
std::vector<PcapRecord> mixed_records() {
  Ipv4Fields tcp;
  tcp.protocol = 6;
  Ipv4Fields fragment;
  fragment.flags_fragment = 0x2000;
  const std::vector<ByteVector> frames = {
      udp_frame_to(67, 1), arp_frame(),
      udp_frame_to(68, 3), ethernet(kIpv4, ipv4_packet(ByteVector(20, 0), tcp)),
      udp_frame_to(67, 5), ethernet(kIpv4, ipv4_udp({6}, fragment)),
      udp_frame_to(67, 7),
  };
  std::vector<PcapRecord> records;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    records.push_back({static_cast<std::uint32_t>(1000 + i), 500, frames[i], std::nullopt});
  }
  return records;
}

class CaptureReaderTest : public ::testing::Test {
 protected:
  std::filesystem::path write_pcap(const std::string& name, int link_type,
                                   const std::vector<PcapRecord>& records,
                                   bool nanoseconds = false) {
    const auto path = dir_ / name;
    write_file(path, pcap_file(link_type, records, nanoseconds));
    return path;
  }
  test::TempDir dir_;
};

TEST_F(CaptureReaderTest, CountsEveryFrameByWhatHappenedToIt) {
  const ReadAll all = read_all(write_pcap("mixed.pcap", link_type::kEthernet, mixed_records()));
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), 4u);
  std::vector<std::uint64_t> numbers;
  for (const auto& datagram : all.datagrams) {
    numbers.push_back(datagram.frame_number);
    EXPECT_EQ(datagram.payload, ByteVector{static_cast<std::uint8_t>(datagram.frame_number)});
  }
  EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 3, 5, 7}));
  EXPECT_EQ(all.counters.frames_read, 7u);
  EXPECT_EQ(all.counters.datagrams_returned, 4u);
  EXPECT_EQ(all.counters.filtered_out, 0u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::not_ipv4), 1u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::not_udp), 1u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::ipv4_fragment), 1u);
  EXPECT_EQ(all.counters.skipped_total(), 3u);
}

TEST_F(CaptureReaderTest, FilterRejectsAreCountedAndFrameNumbersStillCountThem) {
  const auto path = write_pcap("mixed.pcap", link_type::kEthernet, mixed_records());
  const ReadAll all = read_all(path, "udp dst port 67");
  ASSERT_FALSE(all.open_error) << *all.open_error;
  std::vector<std::uint64_t> numbers;
  for (const auto& datagram : all.datagrams) {
    numbers.push_back(datagram.frame_number);
  }
  // The first fragment (frame 6) matches "udp dst port 67" in BPF, then is skipped.
  EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 5, 7}));
  EXPECT_EQ(all.counters.frames_read, 7u);
  EXPECT_EQ(all.counters.filtered_out, 3u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::ipv4_fragment), 1u);
  EXPECT_EQ(all.counters.skipped_total(), 1u);
  EXPECT_EQ(all.counters.datagrams_returned, 3u);
}

TEST_F(CaptureReaderTest, FramesAFilterLetsThroughCanStillBeSkipped) {
  const ReadAll all =
      read_all(write_pcap("mixed.pcap", link_type::kEthernet, mixed_records()), "arp");
  EXPECT_TRUE(all.datagrams.empty());
  EXPECT_EQ(all.counters.filtered_out, 6u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::not_ipv4), 1u);
}

TEST_F(CaptureReaderTest, BadFilterExpression) {
  const auto path = write_pcap("mixed.pcap", link_type::kEthernet, mixed_records());
  auto reader = CaptureReader::open(path, "udp dst port sixty-seven");
  ASSERT_FALSE(reader);
  EXPECT_THAT(reader.error().message,
              StartsWith(path.string() + ": bad filter expression \"udp dst port sixty-seven\": "));
  EXPECT_THAT(reader.error().message, Not(HasSubstr("\n")));
}

TEST_F(CaptureReaderTest, MissingFile) {
  const auto path = dir_ / "nothing.pcap";
  auto reader = CaptureReader::open(path);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message, path.string() + ": cannot open: No such file or directory");
}

TEST_F(CaptureReaderTest, Directory) {
  auto reader = CaptureReader::open(dir_.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message, dir_.path().string() + ": cannot open: Is a directory");
}

TEST_F(CaptureReaderTest, NotACaptureFile) {
  const auto text = dir_ / "notes.txt";
  write_file(text, ByteVector(100, 'x'));
  auto reader = CaptureReader::open(text);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message, text.string() + ": not a capture file: unknown file format");

  const auto empty = dir_ / "empty.pcap";
  write_file(empty, {});
  auto empty_reader = CaptureReader::open(empty);
  ASSERT_FALSE(empty_reader);
  EXPECT_THAT(empty_reader.error().message, StartsWith(empty.string() + ": not a capture file: "));
}

TEST_F(CaptureReaderTest, TruncatedFileReturnsEveryCompleteFrameThenTheError) {
  const auto records = mixed_records();
  const ByteVector whole = pcap_file(link_type::kEthernet, records);
  const std::size_t last_record = whole.size() - 16 - records.back().data.size();
  // Cut inside the last frame's data, then inside its record header.
  for (std::size_t cut : {whole.size() - 1, last_record + 16, last_record + 5}) {
    SCOPED_TRACE(cut);
    const auto path = dir_ / "cut.pcap";
    write_file(path, ByteVector(whole.data(), whole.data() + cut));
    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    std::vector<std::uint64_t> numbers;
    for (;;) {
      auto next = reader->next();
      if (!next) {
        EXPECT_THAT(next.error().message,
                    StartsWith(path.string() +
                               ": truncated: the file ends in the middle of a record, after "
                               "frame 6 ("));
        break;
      }
      ASSERT_TRUE(next->has_value()) << "the end of a truncated file must be an error";
      numbers.push_back((*next)->frame_number);
    }
    EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 3, 5}));
    EXPECT_EQ(reader->counters().frames_read, 6u);
    // The error sticks.
    auto again = reader->next();
    ASSERT_FALSE(again);
    EXPECT_THAT(again.error().message, HasSubstr("truncated"));
  }
}

TEST_F(CaptureReaderTest, AfterTheEndNextKeepsReturningNothing) {
  auto reader = CaptureReader::open(
      write_pcap("one.pcap", link_type::kEthernet, {{1, 0, udp_frame_to(67, 1), std::nullopt}}));
  ASSERT_TRUE(reader) << reader.error().message;
  auto first = reader->next();
  ASSERT_TRUE(first && first->has_value());
  for (int i = 0; i < 3; ++i) {
    auto next = reader->next();
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_FALSE(next->has_value());
  }
}

TEST_F(CaptureReaderTest, TimestampsInMicrosecondAndNanosecondFiles) {
  const ByteVector frame = udp_frame_to(67, 1);
  const ReadAll micro = read_all(
      write_pcap("micro.pcap", link_type::kEthernet, {{1717243200, 123456, frame, std::nullopt}}));
  ASSERT_EQ(micro.datagrams.size(), 1u);
  EXPECT_EQ(micro.datagrams[0].timestamp, 1717243200s + 123456us);
  const ReadAll nano = read_all(write_pcap("nano.pcap", link_type::kEthernet,
                                           {{1717243200, 123456789, frame, std::nullopt}}, true));
  ASSERT_EQ(nano.datagrams.size(), 1u);
  EXPECT_EQ(nano.datagrams[0].timestamp, 1717243200s + 123456789ns);
}

TEST_F(CaptureReaderTest, SnaplenCutFrames) {
  ByteVector whole = udp_frame_to(67, 1);
  ByteVector cut_padding = whole;
  whole.resize(60, 0);
  ByteVector cut_payload(whole.begin(), whole.begin() + 42);  // headers only
  const ReadAll all = read_all(write_pcap("snap.pcap", link_type::kEthernet,
                                          {{1, 0, cut_padding, 60}, {2, 0, cut_payload, 60}}));
  ASSERT_EQ(all.datagrams.size(), 1u);
  EXPECT_EQ(all.datagrams[0].wire_length, 60u);
  EXPECT_EQ(all.datagrams[0].frame, cut_padding);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::truncated), 1u);
}

TEST_F(CaptureReaderTest, OtherLinkTypes) {
  const ByteVector packet = ipv4_udp({42});
  struct Case {
    int file_link_type;
    int reported_link_type;
    ByteVector frame;
  };
  const std::vector<Case> cases = {
      {113, link_type::kLinuxSll, linux_sll(kIpv4, packet)},
      {276, link_type::kLinuxSll2, linux_sll2(kIpv4, packet)},
      {101, link_type::kRaw, packet},  // libpcap reports LINKTYPE_RAW as DLT_RAW
      {228, link_type::kIpv4, packet},
      {0, link_type::kNull, bsd_null(2, true, packet)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file_link_type);
    const auto path = write_pcap("link.pcap", c.file_link_type, {{1, 0, c.frame, std::nullopt}});
    const ReadAll all = read_all(path, "udp port 67");
    ASSERT_FALSE(all.open_error) << *all.open_error;
    ASSERT_EQ(all.datagrams.size(), 1u);
    EXPECT_EQ(all.datagrams[0].link_type, c.reported_link_type);
    EXPECT_EQ(all.datagrams[0].payload, ByteVector{42});
  }
}

TEST_F(CaptureReaderTest, UnsupportedLinkTypeIsCountedPerFrame) {
  const auto path = write_pcap(
      "wifi.pcap", 105,
      {{1, 0, ByteVector(40, 0), std::nullopt}, {2, 0, ByteVector(40, 0), std::nullopt}});
  const ReadAll all = read_all(path);
  ASSERT_FALSE(all.open_error) << *all.open_error;
  EXPECT_TRUE(all.datagrams.empty());
  EXPECT_EQ(all.counters.skipped_for(SkipReason::unsupported_link_type), 2u);
}

TEST_F(CaptureReaderTest, VlanTaggedFramesPassAVlanFilter) {
  const ByteVector tagged = ethernet(kIpv4, ipv4_udp({9}), {{0x8100, 100}});
  const auto path = write_pcap("vlan.pcap", link_type::kEthernet,
                               {{1, 0, tagged, std::nullopt}, {2, 0, udp_frame_to(67, 2), {}}});
  const ReadAll all = read_all(path, "vlan 100 and udp dst port 67");
  ASSERT_EQ(all.datagrams.size(), 1u);
  EXPECT_EQ(all.datagrams[0].vlan_count, 1u);
  EXPECT_EQ(all.datagrams[0].payload, ByteVector{9});
  EXPECT_EQ(all.counters.filtered_out, 1u);
}

}  // namespace
}  // namespace calloutemu::pcap_replay
