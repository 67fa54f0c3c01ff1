// How the reader reads its file, seen from the kernel's side: the file
// offset of the reader's descriptor, from /proc/self/fdinfo.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "capture_files.h"
#include "frame_builder.h"
#include "temp_dir.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

constexpr int kEthernet = 1;
constexpr std::uint64_t kBlockAtLeast = 32 * 1024;

// The kernel's offset in the one open descriptor of `path`, if there is one.
std::optional<std::uint64_t> kernel_offset_of(const std::filesystem::path& path) {
  const auto wanted = std::filesystem::canonical(path);
  std::optional<std::uint64_t> offset;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || target != wanted) {
      continue;
    }
    if (offset) {
      return std::nullopt;  // opened twice: which one is the reader's is unknown
    }
    std::ifstream info("/proc/self/fdinfo/" + entry.path().filename().string());
    std::string key;
    std::uint64_t value = 0;
    while (info >> key >> value) {
      if (key == "pos:") {
        offset = value;
        break;
      }
    }
  }
  return offset;
}

TEST(CaptureReaderReads, InBlocksOfAtLeast32KiB) {
  test::TempDir dir;
  std::vector<PcapRecord> records;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    records.push_back(
        {1000 + i, 0, ethernet(0x0800, ipv4_udp(ByteVector(600, 0x5a))), std::nullopt});
  }
  const auto path = dir.path() / "big.pcap";
  write_file(path, pcap_file(kEthernet, records));
  ASSERT_GT(std::filesystem::file_size(path), 2 * kBlockAtLeast);

  auto reader = CaptureReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  auto first = reader->next();
  ASSERT_TRUE(first && *first);

  const auto offset = kernel_offset_of(path);
  ASSERT_TRUE(offset.has_value());
  // One read() brought in the header, the first frame and a block behind them.
  EXPECT_GE(*offset, kBlockAtLeast);
}

}  // namespace
}  // namespace calloutemu::pcap_replay
