// pcapng files written with PcapngWriter: their blocks byte by byte, and read
// back by CaptureReader, by libpcap, and by tshark for the comments.
#include "calloutemu/pcap_replay/pcapng_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdlib>
#include <sstream>
#include <string>

#include "calloutemu/pcap_replay/udp_frame.h"
#include "capture_files.h"
#include "frame_builder.h"
#include "run_program.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace std::chrono_literals;
using namespace test_frames;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// 2024-06-01T12:00:00Z plus odd nanoseconds, so that precision shows.
constexpr std::chrono::nanoseconds kTime = 1717243200s + 123456789ns;

std::uint32_t le32(const ByteVector& bytes, std::size_t at) {
  return std::uint32_t{bytes[at]} | (std::uint32_t{bytes[at + 1]} << 8) |
         (std::uint32_t{bytes[at + 2]} << 16) | (std::uint32_t{bytes[at + 3]} << 24);
}
std::uint16_t le16(const ByteVector& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
}

struct Block {
  std::uint32_t type = 0;
  ByteVector body;  // between the leading total length and the trailing one
};

// Splits the file into blocks, checking that each is a multiple of 4 bytes
// with equal leading and trailing total lengths.
std::vector<Block> blocks_of(const ByteVector& file) {
  std::vector<Block> blocks;
  std::size_t at = 0;
  while (at < file.size()) {
    if (file.size() - at < 12) {
      ADD_FAILURE() << "a block header is cut off at " << at;
      break;
    }
    const std::uint32_t total = le32(file, at + 4);
    if (total % 4 != 0 || total < 12 || total > file.size() - at) {
      ADD_FAILURE() << "block at " << at << " has a bad total length " << total;
      break;
    }
    EXPECT_EQ(le32(file, at + total - 4), total) << "block at " << at;
    blocks.push_back(
        {le32(file, at), ByteVector(file.begin() + static_cast<long>(at) + 8,
                                    file.begin() + static_cast<long>(at + total) - 4)});
    at += total;
  }
  return blocks;
}

struct Option {
  std::uint16_t code = 0;
  ByteVector value;
  friend bool operator==(const Option&, const Option&) = default;
};

// The options from `at` in a block body, checking their padding and the end.
std::vector<Option> options_of(const ByteVector& body, std::size_t at) {
  std::vector<Option> options;
  while (at + 4 <= body.size()) {
    const std::uint16_t code = le16(body, at);
    const std::uint16_t length = le16(body, at + 2);
    if (code == 0) {
      EXPECT_EQ(length, 0);
      EXPECT_EQ(at + 4, body.size()) << "bytes after opt_endofopt";
      return options;
    }
    const std::size_t padded = (length + 3u) / 4 * 4;
    if (at + 4 + padded > body.size()) {
      ADD_FAILURE() << "option " << code << " runs past its block";
      return options;
    }
    const auto value = body.begin() + static_cast<long>(at) + 4;
    options.push_back({code, ByteVector(value, value + length)});
    EXPECT_EQ(ByteVector(value + length, value + static_cast<long>(padded)),
              ByteVector(padded - length, 0))
        << "padding of option " << code;
    at += 4 + padded;
  }
  EXPECT_EQ(at, body.size()) << "options end without opt_endofopt";
  return options;
}

ByteVector bytes_of(std::string_view text) {
  return ByteVector(text.begin(), text.end());
}

ByteVector some_frame(std::size_t payload_size) {
  const UdpFrameAddresses addresses = {.source_mac = {0x02, 0, 0, 0, 0, 0x43},
                                       .destination_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                                       .source_address = 0xC0000201,
                                       .destination_address = 0xFFFFFFFF,
                                       .source_port = 67,
                                       .destination_port = 68};
  auto frame = build_udp_frame(addresses, counting_payload(payload_size));
  EXPECT_TRUE(frame);
  return frame ? *frame : ByteVector{};
}

void write_file_with(const std::filesystem::path& path, TimestampPrecision precision,
                     const std::vector<std::pair<ByteVector, std::string>>& frames) {
  auto writer = PcapngWriter::create(path, precision);
  ASSERT_TRUE(writer) << writer.error().message;
  std::chrono::nanoseconds timestamp = kTime;
  for (const auto& [frame, comment] : frames) {
    auto status = writer->write(timestamp, frame, comment);
    ASSERT_TRUE(status) << status.error().message;
    timestamp += 1s + 1001ns;
  }
  auto closed = writer->close();
  ASSERT_TRUE(closed) << closed.error().message;
}

TEST(PcapngWriter, WritesSectionInterfaceAndPacketBlocksLittleEndian) {
  test::TempDir dir;
  const ByteVector frame = some_frame(301);  // 343 bytes: odd, padded to 344
  write_file_with(dir / "out.pcapng", TimestampPrecision::nanoseconds,
                  {{frame, "odd: 5"}, {frame, ""}});
  const ByteVector file = read_file(dir / "out.pcapng");
  const auto blocks = blocks_of(file);
  ASSERT_EQ(blocks.size(), 4u);

  EXPECT_EQ(blocks[0].type, 0x0A0D0D0Au);
  EXPECT_EQ(ByteVector(file.begin() + 8, file.begin() + 12), (ByteVector{0x4D, 0x3C, 0x2B, 0x1A}));
  EXPECT_EQ(le16(blocks[0].body, 4), 1);  // major version
  EXPECT_EQ(le16(blocks[0].body, 6), 0);  // minor version
  EXPECT_THAT(options_of(blocks[0].body, 16), ElementsAre(Option{4, bytes_of("calloutemu")}));

  EXPECT_EQ(blocks[1].type, 1u);
  EXPECT_EQ(le16(blocks[1].body, 0), 1);  // Ethernet
  EXPECT_EQ(le32(blocks[1].body, 4), PcapngWriter::kDefaultSnaplen);
  EXPECT_THAT(options_of(blocks[1].body, 8), ElementsAre(Option{9, {9}}));  // if_tsresol 10^-9

  for (std::size_t i : {2u, 3u}) {
    SCOPED_TRACE(i);
    const ByteVector& body = blocks[i].body;
    EXPECT_EQ(blocks[i].type, 6u);
    ASSERT_GE(body.size(), 20 + 344u);
    EXPECT_EQ(le32(body, 0), 0u);  // interface 0
    const std::uint64_t timestamp = (std::uint64_t{le32(body, 4)} << 32) | le32(body, 8);
    EXPECT_EQ(timestamp, static_cast<std::uint64_t>((kTime + (i - 2) * (1s + 1001ns)).count()));
    EXPECT_EQ(le32(body, 12), frame.size());
    EXPECT_EQ(le32(body, 16), frame.size());
    EXPECT_EQ(ByteVector(body.begin() + 20, body.begin() + 20 + 343), frame);
    EXPECT_EQ(body[20 + 343], 0) << "padding";
  }
  EXPECT_THAT(options_of(blocks[2].body, 20 + 344), ElementsAre(Option{1, bytes_of("odd: 5")}));
  EXPECT_EQ(blocks[3].body.size(), 20 + 344u) << "an empty comment writes no option";
}

TEST(PcapngWriter, MicrosecondFilesSayTsresol6AndDropNanoseconds) {
  test::TempDir dir;
  write_file_with(dir / "out.pcapng", TimestampPrecision::microseconds, {{some_frame(0), ""}});
  const auto blocks = blocks_of(read_file(dir / "out.pcapng"));
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_THAT(options_of(blocks[1].body, 8), ElementsAre(Option{9, {6}}));
  const std::uint64_t timestamp =
      (std::uint64_t{le32(blocks[2].body, 4)} << 32) | le32(blocks[2].body, 8);
  EXPECT_EQ(timestamp, static_cast<std::uint64_t>(kTime.count() / 1000));
}

class PcapngRoundTrip : public ::testing::TestWithParam<TimestampPrecision> {};

TEST_P(PcapngRoundTrip, CaptureReaderReadsEveryFrame) {
  test::TempDir dir;
  std::vector<std::pair<ByteVector, std::string>> frames;
  for (std::size_t size : {0u, 1u, 2u, 3u, 300u, 1472u}) {
    frames.emplace_back(some_frame(size), size % 2 == 0 ? "" : "comment " + std::to_string(size));
  }
  write_file_with(dir / "out.pcapng", GetParam(), frames);

  const ReadAll all = read_all(dir / "out.pcapng");
  ASSERT_FALSE(all.open_error) << *all.open_error;
  ASSERT_FALSE(all.read_error) << *all.read_error;
  ASSERT_EQ(all.datagrams.size(), frames.size());
  std::chrono::nanoseconds timestamp = kTime;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    SCOPED_TRACE(i);
    const auto& read = all.datagrams[i];
    EXPECT_EQ(read.link_type, 1);
    EXPECT_EQ(read.frame, frames[i].first);
    EXPECT_EQ(read.wire_length, frames[i].first.size());
    EXPECT_EQ(read.payload, ByteVector(frames[i].first.begin() + 42, frames[i].first.end()));
    EXPECT_EQ(read.timestamp, GetParam() == TimestampPrecision::nanoseconds
                                  ? timestamp
                                  : std::chrono::floor<std::chrono::microseconds>(timestamp));
    timestamp += 1s + 1001ns;
  }
}

TEST_P(PcapngRoundTrip, LibpcapReadsEveryFrame) {
  test::TempDir dir;
  const ByteVector frame = some_frame(77);
  write_file_with(dir / "out.pcapng", GetParam(), {{frame, "one"}, {frame, ""}, {frame, "three"}});

  std::array<char, PCAP_ERRBUF_SIZE> error{};
  pcap_t* handle = pcap_open_offline_with_tstamp_precision(
      (dir / "out.pcapng").c_str(), PCAP_TSTAMP_PRECISION_NANO, error.data());
  ASSERT_NE(handle, nullptr) << error.data();
  EXPECT_EQ(pcap_datalink(handle), DLT_EN10MB);
  int count = 0;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(handle, &header, &data) == 1) {
    SCOPED_TRACE(count);
    EXPECT_EQ(header->caplen, frame.size());
    EXPECT_EQ(header->len, frame.size());
    EXPECT_EQ(ByteVector(data, data + header->caplen), frame);
    const std::chrono::nanoseconds expected = kTime + count * (1s + 1001ns);
    const std::int64_t nanoseconds = GetParam() == TimestampPrecision::nanoseconds
                                         ? expected.count() % 1'000'000'000
                                         : expected.count() % 1'000'000'000 / 1000 * 1000;
    EXPECT_EQ(header->ts.tv_sec, expected.count() / 1'000'000'000);
    EXPECT_EQ(header->ts.tv_usec, nanoseconds);
    ++count;
  }
  pcap_close(handle);
  EXPECT_EQ(count, 3);
}

INSTANTIATE_TEST_SUITE_P(Precisions, PcapngRoundTrip,
                         ::testing::Values(TimestampPrecision::microseconds,
                                           TimestampPrecision::nanoseconds),
                         [](const auto& param_info) {
                           return param_info.param == TimestampPrecision::nanoseconds
                                      ? "nanoseconds"
                                      : "microseconds";
                         });

std::optional<std::filesystem::path> tshark() {
  for (const char* path : {"/usr/bin/tshark", "/usr/local/bin/tshark"}) {
    if (std::filesystem::exists(path)) {
      return path;
    }
  }
  return std::nullopt;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(PcapngWriter, TsharkReadsTheComments) {
  const auto program = tshark();
  if (!program) {
    GTEST_SKIP() << "tshark is not installed";
  }
  test::TempDir dir;
  const std::string unicode = "caf\xC3\xA9 \xE2\x9C\x93";  // "café ✓": 10 bytes
  write_file_with(dir / "out.pcapng", TimestampPrecision::microseconds,
                  {{some_frame(300), "request 12: dropped: DUPLICATE (1)"},
                   {some_frame(301), ""},
                   {some_frame(1), unicode},
                   {some_frame(2), "x"}});
  // tshark 4.0 names the field frame.comment (pkt_comment is the protocol).
  const auto run = test::run_program({program->string(), "-r", (dir / "out.pcapng").string(), "-T",
                                      "fields", "-e", "frame.comment"},
                                     {.cwd = dir.path(), .env = {{"HOME", dir.path().string()}}});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(lines_of(run.out),
              ElementsAre("request 12: dropped: DUPLICATE (1)", "", unicode, "x"));
}

TEST(PcapngWriter, UnwritablePathIsAnErrorNamingIt) {
  test::TempDir dir;
  const auto path = dir / "missing" / "out.pcapng";
  auto writer = PcapngWriter::create(path);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().message, path.string() + ": cannot create: No such file or directory");

  auto directory = PcapngWriter::create(dir.path());
  ASSERT_FALSE(directory);
  EXPECT_THAT(directory.error().message, HasSubstr(dir.path().string() + ": cannot create: "));
}

TEST(PcapngWriter, RefusesWhatItCannotWriteAndWritesNothing) {
  test::TempDir dir;
  const auto path = dir / "out.pcapng";
  auto writer = PcapngWriter::create(path, TimestampPrecision::microseconds, 100);
  ASSERT_TRUE(writer) << writer.error().message;
  const std::string prefix = path.string() + ": ";

  auto too_big = writer->write(kTime, ByteVector(101));
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message,
            prefix + "cannot write a frame of 101 bytes: the snaplen is 100");
  auto negative = writer->write(-1ns, ByteVector(10));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message,
            prefix + "cannot write a frame stamped -1 ns before the epoch");
  for (const std::string bad : {"\xFF", "\xC0\x80", "\xED\xA0\x80", "\xE2\x9C", "a\x80"}) {
    auto status = writer->write(kTime, ByteVector(10), bad);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, prefix + "cannot write a comment that is not UTF-8");
  }
  auto long_comment = writer->write(kTime, ByteVector(10), std::string(65536, 'a'));
  ASSERT_FALSE(long_comment);
  EXPECT_THAT(long_comment.error().message, HasSubstr("comment of 65536 bytes"));
  auto longest = writer->write(kTime, ByteVector(10), std::string(65535, 'a'));
  EXPECT_TRUE(longest) << longest.error().message;

  auto closed = writer->close();
  ASSERT_TRUE(closed) << closed.error().message;
  auto after_close = writer->write(kTime, ByteVector(10));
  ASSERT_FALSE(after_close);
  EXPECT_EQ(after_close.error().message, prefix + "cannot write: the file is closed");
  EXPECT_EQ(blocks_of(read_file(path)).size(), 3u) << "only the good frame was written";
}

TEST(PcapngWriter, ReportsAFullDiskOnWriteOrClose) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full";
  }
  // The headers fit in stdio's buffer; the failure shows when it is flushed.
  auto writer = PcapngWriter::create("/dev/full");
  ASSERT_TRUE(writer) << writer.error().message;
  Status status = writer->write(kTime, ByteVector(100000));
  if (status) {
    status = writer->close();
  }
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("/dev/full: write failed"));
}

}  // namespace
}  // namespace calloutemu::pcap_replay
