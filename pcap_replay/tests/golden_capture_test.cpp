// The writer's output, byte for byte, against data/writer_golden.pcap.
//
// The golden file is what this test writes; to regenerate it after a
// deliberate change, run from the project root:
//   CALLOUTEMU_UPDATE_GOLDEN=1 build/pcap_replay/tests/pcap_replay_tests
//       --gtest_filter='GoldenCapture.*'
// It was checked with `tcpdump -r writer_golden.pcap -vv -nn` (both checksums
// "ok", the DHCP fields as built).
#include <gtest/gtest.h>

#include <bit>
#include <cstdlib>

#include "calloutemu/pcap_replay/capture_writer.h"
#include "calloutemu/pcap_replay/udp_frame.h"
#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace std::chrono_literals;
using namespace test_frames;

const std::filesystem::path kGolden =
    std::filesystem::path(CALLOUTEMU_PCAP_REPLAY_TEST_DATA) / "writer_golden.pcap";

// A BOOTP message: op, the fixed header, the magic cookie, then `options`.
ByteVector dhcp_message(std::uint8_t op, std::uint32_t yiaddr, const ByteVector& options) {
  ByteVector message(236, 0);
  message[0] = op;
  message[1] = 1;  // Ethernet
  message[2] = 6;
  message[4] = 0x12;  // xid 0x12345678
  message[5] = 0x34;
  message[6] = 0x56;
  message[7] = 0x78;
  for (int shift = 24, at = 16; shift >= 0; shift -= 8, ++at) {
    message[static_cast<std::size_t>(at)] = static_cast<std::uint8_t>(yiaddr >> shift);
  }
  const ByteVector chaddr = {0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc};
  std::copy(chaddr.begin(), chaddr.end(), message.begin() + 28);
  message.insert(message.end(), {0x63, 0x82, 0x53, 0x63});
  message.insert(message.end(), options.begin(), options.end());
  message.push_back(255);
  return message;
}

ByteVector golden_bytes(const std::filesystem::path& path) {
  const MacAddress client = {0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc};
  const MacAddress server = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  const MacAddress broadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const UdpFrameAddresses discover_to = {client, broadcast, 0, 0xFFFFFFFF, 68, 67, 1};
  const UdpFrameAddresses offer_to = {server, client, 0xC0A80001, 0xC0A8000A, 67, 68, 2};
  const ByteVector discover = dhcp_message(1, 0, {53, 1, 1});
  const ByteVector offer =
      dhcp_message(2, 0xC0A8000A, {53, 1, 2, 54, 4, 192, 168, 0, 1, 51, 4, 0, 0, 0x0e, 0x10});
  const ByteVector answer = {0x2a};

  auto writer = CaptureWriter::create(path, TimestampPrecision::microseconds);
  EXPECT_TRUE(writer) << writer.error().message;
  if (!writer) {
    return {};
  }
  const auto t0 = 1717243200s;  // 2024-06-01T12:00:00Z
  const std::vector<std::pair<std::chrono::nanoseconds, ByteVector>> frames = {
      {t0 + 1us, *build_udp_frame(discover_to, discover)},
      {t0 + 2ms + 500us, *build_udp_frame(offer_to, offer)},
      {t0 + 1s, *build_udp_frame({client, server, 0xC0A8000A, 0xC0A80001, 68, 67, 3}, answer)},
  };
  for (const auto& [timestamp, frame] : frames) {
    EXPECT_TRUE(writer->write(timestamp, frame));
  }
  EXPECT_TRUE(writer->close());
  return read_file(path);
}

TEST(GoldenCapture, WriterOutputMatchesTheCommittedFile) {
  if constexpr (std::endian::native != std::endian::little) {
    GTEST_SKIP() << "pcap files are written in the host's byte order; the golden is little-endian";
  }
  test::TempDir dir;
  const ByteVector written = golden_bytes(dir / "golden.pcap");
  if (std::getenv("CALLOUTEMU_UPDATE_GOLDEN") != nullptr) {
    write_file(kGolden, written);
    GTEST_SKIP() << "wrote " << kGolden;
  }
  ASSERT_TRUE(std::filesystem::exists(kGolden)) << kGolden;
  EXPECT_EQ(written, read_file(kGolden));
}

}  // namespace
}  // namespace calloutemu::pcap_replay
