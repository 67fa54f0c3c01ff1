// The real captures in ../shared/pcaps (see PROVENANCE.md there) read without
// error, with counts cross-checked against tcpdump 4.99 when they were written.
#include <gtest/gtest.h>

#include <map>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "capture_files.h"
#include "fixtures.h"

namespace calloutemu::pcap_replay {
namespace {

using namespace test_frames;

struct Expected {
  std::uint64_t frames;
  std::uint64_t datagrams;
  std::uint64_t payload_bytes;
  std::uint64_t to_port_67;
  std::uint64_t payload_bytes_to_67;
  std::map<SkipReason, std::uint64_t> skipped;
};

const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> table = {
      {"charrua-dora.pcap", {4, 4, 1144, 2, 544, {}}},
      {"pcapplusplus-relayed-option82.pcap", {1, 1, 376, 1, 376, {}}},
      {"suricata-discover-flood-10k.pcap", {10000, 10000, 2440000, 10000, 2440000, {}}},
      {"suricata-option-overload.pcap", {8, 8, 2304, 4, 1200, {}}},
      {"tcpdump-option-108.pcapng", {2, 2, 623, 1, 300, {}}},
      {"tcpdump-relayed-leasequery.pcap",
       {54, 36, 10386, 36, 10386, {{SkipReason::not_udp, 6}, {SkipReason::not_ipv4, 12}}}},
      {"zeek-bad-cookie.pcap", {5, 5, 1232, 5, 1232, {}}},
      {"zeek-dhcp-all-types.pcap", {9, 9, 2594, 6, 1560, {}}},
      {"zeek-flood-500.pcap", {500, 500, 136750, 250, 61750, {}}},
  };
  return table;
}

class SharedCaptures : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto shared = test::shared_dir();
    if (!shared || !std::filesystem::is_directory(*shared / "pcaps")) {
      GTEST_SKIP() << "../shared/pcaps is absent";
    }
    pcaps_ = *shared / "pcaps";
  }
  std::filesystem::path pcaps_;
};

TEST_F(SharedCaptures, EveryFileReadsWithTheExpectedCounts) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(pcaps_)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".md")) {
      continue;
    }
    ++files;
    SCOPED_TRACE(name);
    const auto expected = expectations().find(name);
    ASSERT_NE(expected, expectations().end()) << "a new capture: add its counts to this test";
    const Expected& want = expected->second;

    const ReadAll all = read_all(entry.path());
    ASSERT_FALSE(all.open_error) << *all.open_error;
    ASSERT_FALSE(all.read_error) << *all.read_error;
    std::uint64_t payload_bytes = 0;
    std::uint64_t to_67 = 0;
    std::uint64_t payload_bytes_to_67 = 0;
    for (const auto& datagram : all.datagrams) {
      payload_bytes += datagram.payload.size();
      if (datagram.destination_port == 67) {
        ++to_67;
        payload_bytes_to_67 += datagram.payload.size();
      }
    }
    EXPECT_EQ(all.counters.frames_read, want.frames);
    EXPECT_EQ(all.counters.datagrams_returned, want.datagrams);
    EXPECT_EQ(all.datagrams.size(), want.datagrams);
    EXPECT_EQ(payload_bytes, want.payload_bytes);
    EXPECT_EQ(to_67, want.to_port_67);
    EXPECT_EQ(payload_bytes_to_67, want.payload_bytes_to_67);
    for (SkipReason reason : kAllSkipReasons) {
      const auto count = want.skipped.find(reason);
      EXPECT_EQ(all.counters.skipped_for(reason), count == want.skipped.end() ? 0 : count->second)
          << to_string(reason);
    }

    // The same file through a filter: only the datagrams to port 67 pass.
    const ReadAll filtered = read_all(entry.path(), "udp dst port 67");
    ASSERT_FALSE(filtered.read_error) << *filtered.read_error;
    EXPECT_EQ(filtered.counters.datagrams_returned, want.to_port_67);
    EXPECT_EQ(filtered.counters.filtered_out, want.frames - want.to_port_67);
  }
  EXPECT_EQ(files, expectations().size());
}

TEST_F(SharedCaptures, ZeekAllTypesFirstDatagram) {
  const ReadAll all = read_all(pcaps_ / "zeek-dhcp-all-types.pcap");
  ASSERT_EQ(all.datagrams.size(), 9u);
  const auto& discover = all.datagrams[0];
  EXPECT_EQ(discover.timestamp,
            std::chrono::seconds(1370200442) + std::chrono::microseconds(323173));
  EXPECT_EQ(discover.frame_number, 1u);
  EXPECT_EQ(discover.source_address, 0u);
  EXPECT_EQ(discover.destination_address, 0xFFFFFFFFu);
  EXPECT_EQ(discover.source_port, 68);
  EXPECT_EQ(discover.destination_port, 67);
  ASSERT_EQ(discover.payload.size(), 265u);
  EXPECT_EQ(discover.payload[0], 1);  // BOOTREQUEST
  // The magic cookie after the 236-byte fixed header.
  EXPECT_EQ(ByteVector(discover.payload.begin() + 236, discover.payload.begin() + 240),
            (ByteVector{0x63, 0x82, 0x53, 0x63}));
}

TEST_F(SharedCaptures, TheFloodIsTenThousandDiscovers) {
  const ReadAll all = read_all(pcaps_ / "suricata-discover-flood-10k.pcap", "udp dst port 67");
  ASSERT_EQ(all.datagrams.size(), 10000u);
  for (const auto& datagram : all.datagrams) {
    ASSERT_EQ(datagram.source_port, 68);
    ASSERT_EQ(datagram.destination_port, 67);
    ASSERT_EQ(datagram.payload.size(), 244u);
    ASSERT_EQ(datagram.payload[0], 1);  // BOOTREQUEST
    // Option 53 (message type), length 1: DHCPDISCOVER, right after the cookie.
    ASSERT_EQ(ByteVector(datagram.payload.begin() + 240, datagram.payload.begin() + 243),
              (ByteVector{53, 1, 1}));
  }
}

}  // namespace
}  // namespace calloutemu::pcap_replay
