// Frames written with CaptureWriter read back with CaptureReader.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "calloutemu/pcap_replay/capture_writer.h"
#include "calloutemu/pcap_replay/udp_frame.h"
#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace std::chrono_literals;
using namespace test_frames;

struct Written {
  std::chrono::nanoseconds timestamp;
  UdpFrameAddresses addresses;
  ByteVector payload;
  ByteVector frame;
};

std::vector<Written> some_frames() {
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> size_of(0, 1472);
  std::vector<Written> frames;
  // 2024-06-01T12:00:00Z plus odd nanoseconds, so that precision shows.
  std::chrono::nanoseconds timestamp = 1717243200s + 123456789ns;
  for (std::uint16_t i = 0; i < 50; ++i) {
    Written written;
    written.timestamp = timestamp;
    written.addresses = {
        .source_mac = {0x02, 0, 0, 0, 0, static_cast<std::uint8_t>(i)},
        .destination_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
        .source_address = 0x0A000000u + i,
        .destination_address = 0xFFFFFFFF,
        .source_port = 68,
        .destination_port = static_cast<std::uint16_t>(i % 2 == 0 ? 67 : 68),
        .ip_id = i,
    };
    written.payload = counting_payload(size_of(random));
    auto frame = build_udp_frame(written.addresses, written.payload);
    EXPECT_TRUE(frame);
    written.frame = frame ? *frame : ByteVector{};
    frames.push_back(written);
    timestamp += 1001ns * (i + 1) + 1s * (i % 3);
  }
  return frames;
}

void write_all(const std::filesystem::path& path, TimestampPrecision precision,
               const std::vector<Written>& frames) {
  auto writer = CaptureWriter::create(path, precision);
  ASSERT_TRUE(writer) << writer.error().message;
  for (const auto& written : frames) {
    auto status = writer->write(written.timestamp, written.frame);
    ASSERT_TRUE(status) << status.error().message;
  }
  auto closed = writer->close();
  ASSERT_TRUE(closed) << closed.error().message;
}

class RoundTrip : public ::testing::TestWithParam<TimestampPrecision> {};

TEST_P(RoundTrip, ReadsBackEveryFrameAsWritten) {
  test::TempDir dir;
  const auto frames = some_frames();
  write_all(dir / "out.pcap", GetParam(), frames);

  const ReadAll all = read_all(dir / "out.pcap");
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE(i);
    const auto& read = all.datagrams[i];
    const auto& written = frames[i];
    const auto expected_time =
        GetParam() == TimestampPrecision::nanoseconds
            ? written.timestamp
            : std::chrono::floor<std::chrono::microseconds>(written.timestamp);
    EXPECT_EQ(read.timestamp, expected_time);
    EXPECT_EQ(read.frame_number, i + 1);
    EXPECT_EQ(read.link_type, link_type::kEthernet);
    EXPECT_EQ(read.frame, written.frame);
    EXPECT_EQ(read.wire_length, written.frame.size());
    EXPECT_EQ(read.source_address, written.addresses.source_address);
    EXPECT_EQ(read.destination_address, written.addresses.destination_address);
    EXPECT_EQ(read.source_port, written.addresses.source_port);
    EXPECT_EQ(read.destination_port, written.addresses.destination_port);
    EXPECT_EQ(read.payload, written.payload);
    const auto packet = std::span(read.frame).subspan(14);
    EXPECT_TRUE(checksum_holds(packet.first(20)));
    EXPECT_TRUE(udp_checksum_holds(packet));
  }
  EXPECT_EQ(all.counters.frames_read, frames.size());
  EXPECT_EQ(all.counters.datagrams_returned, frames.size());
}

INSTANTIATE_TEST_SUITE_P(Precisions, RoundTrip,
                         ::testing::Values(TimestampPrecision::microseconds,
                                           TimestampPrecision::nanoseconds),
                         [](const auto& param_info) {
                           return param_info.param == TimestampPrecision::nanoseconds
                                      ? "nanoseconds"
                                      : "microseconds";
                         });

TEST(CaptureWriter, WritesTheFileHeaderEvenWithoutFrames) {
  test::TempDir dir;
  {
    auto writer = CaptureWriter::create(dir / "empty.pcap", TimestampPrecision::nanoseconds);
    ASSERT_TRUE(writer) << writer.error().message;
  }  // closed by the destructor
  const ByteVector bytes = read_file(dir / "empty.pcap");
  ASSERT_EQ(bytes.size(), 24u);
  EXPECT_EQ(bytes[0], 0x4d);  // 0xa1b23c4d: nanosecond pcap, in the host's order
  const ReadAll all = read_all(dir / "empty.pcap");
  EXPECT_FALSE(all.open_error);
  EXPECT_TRUE(all.datagrams.empty());
}

struct OtherLinkType {
  int link_type;
  ByteVector frame;
};

class WriterLinkTypes : public ::testing::TestWithParam<OtherLinkType> {};

TEST_P(WriterLinkTypes, TheFileHeaderNamesTheLinkType) {
  test::TempDir dir;
  const auto path = dir / "other.pcap";
  auto writer = CaptureWriter::create(path, TimestampPrecision::microseconds,
                                      CaptureWriter::kDefaultSnaplen, GetParam().link_type);
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_TRUE(writer->write(1s, GetParam().frame));
  ASSERT_TRUE(writer->close());

  const ReadAll all = read_all(path);
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_EQ(all.datagrams.size(), 1u);
  EXPECT_EQ(all.datagrams[0].link_type, GetParam().link_type);
  EXPECT_EQ(all.datagrams[0].frame, GetParam().frame);
  EXPECT_EQ(all.datagrams[0].payload, counting_payload(20));
}

INSTANTIATE_TEST_SUITE_P(
    LinkTypes, WriterLinkTypes,
    ::testing::Values(
        OtherLinkType{link_type::kLinuxSll, linux_sll(0x0800, ipv4_udp(counting_payload(20)))},
        OtherLinkType{link_type::kLinuxSll2, linux_sll2(0x0800, ipv4_udp(counting_payload(20)))},
        OtherLinkType{link_type::kRaw, ipv4_udp(counting_payload(20))}),
    [](const auto& param_info) { return "dlt_" + std::to_string(param_info.param.link_type); });

TEST(CaptureWriter, RejectsAnUnknownLinkTypeWithoutCreatingTheFile) {
  test::TempDir dir;
  const auto path = dir / "out.pcap";
  auto writer = CaptureWriter::create(path, TimestampPrecision::microseconds,
                                      CaptureWriter::kDefaultSnaplen, 99999);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().message, path.string() + ": cannot create: unknown link type 99999");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(CaptureWriter, CreateErrorsNameTheFile) {
  test::TempDir dir;
  const auto path = dir / "missing" / "out.pcap";
  auto writer = CaptureWriter::create(path);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().message, path.string() + ": cannot create: No such file or directory");
}

TEST(CaptureWriter, RejectsWhatPcapCannotHold) {
  test::TempDir dir;
  const auto path = dir / "out.pcap";
  auto writer = CaptureWriter::create(path, TimestampPrecision::microseconds, 100);
  ASSERT_TRUE(writer) << writer.error().message;
  auto too_big = writer->write(1s, ByteVector(101));
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message,
            path.string() + ": cannot write a frame of 101 bytes: the snaplen is 100");
  auto before_1970 = writer->write(-1ns, ByteVector(60));
  ASSERT_FALSE(before_1970);
  EXPECT_EQ(before_1970.error().message,
            path.string() +
                ": cannot write a frame stamped -1 ns after the epoch: pcap holds "
                "1970 to 2106");
  EXPECT_FALSE(writer->write(std::chrono::seconds(1LL << 32), ByteVector(60)));
  EXPECT_TRUE(writer->write(std::chrono::seconds((1LL << 32) - 1), ByteVector(60)));
  ASSERT_TRUE(writer->close());
  auto after_close = writer->write(1s, ByteVector(60));
  ASSERT_FALSE(after_close);
  EXPECT_EQ(after_close.error().message, path.string() + ": cannot write: the file is closed");
}

TEST(CaptureWriter, ReportsAFullDisk) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full";
  }
  auto writer = CaptureWriter::create("/dev/full");
  ASSERT_TRUE(writer) << writer.error().message;
  static_cast<void>(writer->write(1s, ByteVector(60)));
  auto closed = writer->close();
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, "/dev/full: write failed: No space left on device");
}

}  // namespace
}  // namespace calloutemu::pcap_replay
