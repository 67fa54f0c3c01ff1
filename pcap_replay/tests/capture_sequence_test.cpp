#include "calloutemu/pcap_replay/capture_sequence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;
using ::testing::StartsWith;

ByteVector frame_with(std::uint8_t marker) {
  return ethernet(0x0800, ipv4_udp({marker}));
}

class CaptureSequenceTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::vector<PcapRecord>& records) {
    const auto path = dir_ / name;
    write_file(path, pcap_file(link_type::kEthernet, records));
    return path;
  }
  test::TempDir dir_;
};

TEST_F(CaptureSequenceTest, ReadsTheFilesInOrder) {
  const auto first = write("a.pcap", {{1, 0, frame_with(1), {}}, {2, 0, frame_with(2), {}}});
  const auto empty = write("b.pcap", {});
  const auto last =
      write("c.pcap", {{3, 0, ethernet(0x0806, ByteVector(28, 0)), {}}, {4, 0, frame_with(3), {}}});
  const ReadAll all = read_all(std::vector{first, empty, last});
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), 3u);
  const std::vector<std::tuple<std::uint8_t, std::size_t, std::uint64_t>> expected = {
      {1, 0, 1}, {2, 0, 2}, {3, 2, 2}};  // marker, file, frame number in that file
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [marker, file, frame] = expected[i];
    EXPECT_EQ(all.datagrams[i].payload, ByteVector{marker});
    EXPECT_EQ(all.datagrams[i].file_index, file);
    EXPECT_EQ(all.datagrams[i].frame_number, frame);
  }
  EXPECT_EQ(all.counters.frames_read, 4u);
  EXPECT_EQ(all.counters.datagrams_returned, 3u);
  EXPECT_EQ(all.counters.skipped_for(SkipReason::not_ipv4), 1u);
}

TEST_F(CaptureSequenceTest, BytesReadGrowToTheFilesTotal) {
  std::vector<PcapRecord> records;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    records.push_back({i, 0, frame_with(static_cast<std::uint8_t>(i)), {}});
  }
  const auto first = write("a.pcap", records);
  const auto second = write("b.pcap", records);
  auto sequence = CaptureSequence::open({first, second});
  ASSERT_TRUE(sequence) << sequence.error().message;
  const auto total = std::filesystem::file_size(first) + std::filesystem::file_size(second);
  EXPECT_EQ(sequence->bytes_total(), total);
  std::uint64_t previous = sequence->bytes_read();
  EXPECT_LT(previous, total / 2);
  bool moved_within_first = false;
  for (std::size_t i = 0; i < 4000; ++i) {
    auto next = sequence->next();
    ASSERT_TRUE(next && *next);
    const auto now = sequence->bytes_read();
    EXPECT_GE(now, previous);
    moved_within_first = moved_within_first || (now > previous && now < total / 2);
    previous = now;
  }
  auto end = sequence->next();
  ASSERT_TRUE(end && !*end);
  EXPECT_TRUE(moved_within_first);
  EXPECT_EQ(sequence->bytes_read(), total);
}

TEST_F(CaptureSequenceTest, ABadFileIsReportedBeforeAnythingIsRead) {
  const auto good = write("a.pcap", {{1, 0, frame_with(1), {}}});
  const auto missing = dir_ / "missing.pcap";
  auto sequence = CaptureSequence::open({good, missing});
  ASSERT_FALSE(sequence);
  EXPECT_EQ(sequence.error().message,
            missing.string() + ": cannot open: No such file or directory");
}

TEST_F(CaptureSequenceTest, ATruncatedFileStopsTheSequence) {
  const auto first = write("a.pcap", {{1, 0, frame_with(1), {}}});
  const ByteVector whole = pcap_file(link_type::kEthernet, {{1, 0, frame_with(2), {}}});
  const auto cut = dir_ / "cut.pcap";
  write_file(cut, ByteVector(whole.begin(), whole.end() - 1));
  const auto after = write("c.pcap", {{1, 0, frame_with(3), {}}});
  const ReadAll all = read_all(std::vector{first, cut, after});
  ASSERT_EQ(all.datagrams.size(), 1u);
  ASSERT_TRUE(all.read_error);
  EXPECT_THAT(*all.read_error, StartsWith(cut.string() + ": truncated: "));
}

TEST_F(CaptureSequenceTest, TheFilterAppliesToEveryFile) {
  const auto first = write("a.pcap", {{1, 0, frame_with(1), {}}});
  const auto second = write("b.pcap", {{1, 0, frame_with(2), {}}});
  const ReadAll all = read_all(std::vector{first, second}, "udp dst port 68");
  EXPECT_TRUE(all.datagrams.empty());
  EXPECT_EQ(all.counters.filtered_out, 2u);
}

TEST_F(CaptureSequenceTest, NoFilesIsAnEmptySequence) {
  const ReadAll all = read_all(std::vector<std::filesystem::path>{});
  EXPECT_FALSE(all.open_error);
  EXPECT_TRUE(all.datagrams.empty());
}

}  // namespace
}  // namespace calloutemu::pcap_replay
