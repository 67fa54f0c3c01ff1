// Replaying the real captures in ../shared/pcaps (skipped when it is absent).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "replay_fixture.h"

namespace calloutemu::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Calls = std::vector<std::string>;

class SharedCaptureTest : public ReplayTest {
 protected:
  void SetUp() override {
    shared_ = shared_dir();
    if (!shared_) {
      GTEST_SKIP() << "../shared is not beside the project";
    }
  }
  std::string capture(const std::string& name) const {
    return (*shared_ / "pcaps" / name).string();
  }
  std::optional<std::filesystem::path> shared_;
};

// The issue's own acceptance case: every message type, decided by the capture.
TEST_F(SharedCaptureTest, ZeekAllTypesInCaptureModeGetsTheServersHookSequences) {
  const auto result = run({"--dlls", callout_path("recorder").string(), "--pcap",
                           capture("zeek-dhcp-all-types.pcap"), "--decisions", "capture"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(
      packets(),
      ElementsAre(Calls{"NewPkt", "HandleOptions", "PktSend(SEND_PACKET)",
                        "PktDrop(PROCESSED)"},  // DISCOVER
                  Calls{"NewPkt", "HandleOptions", "AddressDel(NACKED)", "PktSend(SEND_PACKET)",
                        "PktDrop(PROCESSED)"},  // REQUEST, NAK
                  Calls{"NewPkt", "HandleOptions", "AddressOffer(NEW)", "PktSend(SEND_PACKET)",
                        "PktDrop(PROCESSED)"},  // REQUEST, ACK
                  // DECLINE: the client's captured lease is deleted (documented profile)
                  Calls{"NewPkt", "HandleOptions", "AddressDel(DECLINE)", "DeleteClient",
                        "PktDrop(PROCESSED)"},
                  Calls{"NewPkt", "HandleOptions", "AddressDel(RELEASE)", "PktDrop(PROCESSED)"},
                  Calls{"NewPkt", "HandleOptions", "PktSend(SEND_PACKET)",
                        "PktDrop(PROCESSED)"}));  // INFORM
  const auto all = records();
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(describe_call(all.front()), "Entry");
  EXPECT_EQ(describe_call(all.back()), "Control(STOP)");
  EXPECT_EQ(report_value(result.err, "requests"), "6");
  EXPECT_EQ(report_value(result.err, "message types"),
            "DECLINE 1, DISCOVER 1, INFORM 1, RELEASE 1, REQUEST 2");
  EXPECT_EQ(report_value(result.err, "responses"), "4 (ACK 2, NAK 1, OFFER 1)");
}

TEST_F(SharedCaptureTest, ReservedAndPktContextStayWithTheirPacket) {
  const auto result = run({"--dlls", callout_path("recorder").string(), "--pcap",
                           capture("zeek-dhcp-all-types.pcap"), "--decisions", "capture"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::set<std::string> reserved_seen;
  std::string previous_reserved;
  for (const auto& packet : packet_records()) {
    ASSERT_FALSE(packet.empty());
    const auto reserved = packet.front()["Reserved"].get<std::string>();
    const auto context = packet.front()["PktContext"].get<std::string>();
    EXPECT_NE(reserved, "0x0");
    EXPECT_NE(reserved, previous_reserved) << "consecutive packets share Reserved";
    previous_reserved = reserved;
    for (const auto& record : packet) {
      EXPECT_EQ(record["Reserved"], reserved) << record.dump();
      if (record["hook"] != "NewPkt") {
        EXPECT_EQ(record["PktContext"], context) << record.dump();
      }
    }
  }
}

// Every capture replays without a crash, with these counts. Decisions come
// from the capture where it has replies, else from a scope over 192.168/16.
struct SharedCase {
  const char* file;
  const char* requests;
  const char* dropped;
  const char* responses;
};

void PrintTo(const SharedCase& shared_case, std::ostream* out) {
  *out << shared_case.file;
}

class EverySharedCapture : public SharedCaptureTest,
                           public ::testing::WithParamInterface<SharedCase> {};

TEST_P(EverySharedCapture, ReplaysWithTheExpectedCounts) {
  const auto& expected = GetParam();
  const auto result = run({"--dlls", callout_path("noop").string(), "--pcap",
                           capture(expected.file), "--scope", "192.168.0.0/16", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(report_value(result.err, "requests"), expected.requests);
  EXPECT_EQ(report_value(result.err, "dropped"), expected.dropped);
  EXPECT_EQ(report_value(result.err, "responses"), expected.responses);
  EXPECT_EQ(report_value(result.err, "hook faults"), "0");
}

INSTANTIATE_TEST_SUITE_P(
    Shared, EverySharedCapture,
    ::testing::Values(
        SharedCase{"charrua-dora.pcap", "2", "0", "2 (ACK 1, OFFER 1)"},
        // One relayed OFFER: a server reply only, so nothing to feed the hooks.
        SharedCase{"pcapplusplus-relayed-option82.pcap", "0", "0", "0"},
        SharedCase{"suricata-discover-flood-10k.pcap", "10000", "0", "10000 (OFFER 10000)"},
        SharedCase{"suricata-option-overload.pcap", "4", "2 (DUPLICATE 2)", "2 (ACK 1, OFFER 1)"},
        SharedCase{"tcpdump-option-108.pcapng", "1", "0", "1 (OFFER 1)"},
        SharedCase{"tcpdump-relayed-leasequery.pcap", "19", "11 (INVALID 9, NOADDRESS 2)",
                   "8 (ACK 4, OFFER 4)"},
        SharedCase{"zeek-bad-cookie.pcap", "5", "3 (NOADDRESS 3)", "2 (OFFER 2)"},
        SharedCase{"zeek-dhcp-all-types.pcap", "6", "0", "4 (ACK 2, NAK 1, OFFER 1)"},
        SharedCase{"zeek-flood-500.pcap", "250", "247 (DUPLICATE 247)", "3 (ACK 3)"}),
    [](const ::testing::TestParamInfo<SharedCase>& param_info) {
      std::string name = param_info.param.file;
      for (auto& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
          c = '_';
        }
      }
      return name;
    });

TEST_F(SharedCaptureTest, TheDiscoverFloodIsCountedRequestByRequest) {
  const auto result = run({"--dlls", callout_path("recorder").string(), "--pcap",
                           capture("suricata-discover-flood-10k.pcap"), "--decisions", "capture"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // No server answered the flood: every DISCOVER is dropped with NOADDRESS.
  EXPECT_EQ(report_value(result.err, "dropped"), "10000 (NOADDRESS 10000)");
  const auto seen = packets();
  ASSERT_EQ(seen.size(), 10000u);
  for (const auto& packet : seen) {
    ASSERT_EQ(packet,
              (Calls{"NewPkt", "HandleOptions", "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"}));
  }
}

// Issue 6's check for --workers: the 10k flood, decided by the model (every
// DISCOVER offered an address) and by the capture.
TEST_F(SharedCaptureTest, TheDiscoverFloodWithFourWorkersGivesTheTraceOfOne) {
  for (const std::vector<std::string>& decisions :
       {std::vector<std::string>{"--scope", "192.168.0.0/16"},
        std::vector<std::string>{"--decisions", "capture"}}) {
    std::vector<std::string> args = {"--dlls", callout_path("recorder").string(), "--pcap",
                                     capture("suricata-discover-flood-10k.pcap"), "-q"};
    args.insert(args.end(), decisions.begin(), decisions.end());
    const auto one = run_workers(args, 1);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(one.packets.size(), 10000u);
    const auto four = run_workers(args, 4);
    ASSERT_EQ(four.exit_code, 0) << four.err;
    EXPECT_TRUE(four.trace == one.trace) << "the traces differ";
    EXPECT_TRUE(four.packets == one.packets) << "the recorder's records differ";
  }
}

TEST_F(SharedCaptureTest, AMacFilterDenyGetsNewPktThenASingleProcessed) {
  // chain -> [recorder, macfilter]: the recorder sees what the server calls.
  write_file("deny.txt", "MAC_ACTION = {DENY}\n000b8201fc42\n");
  const auto result =
      run({"--load-order", "listed", "--dlls",
           callout_path("chain").string() + "," + callout_path("recorder").string() + "," +
               callout_path("macfilter").string(),
           "--pcap", capture("charrua-dora.pcap")},
          {{"CALLOUT_MACFILTER_LIST", (dir_ / "deny.txt").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(packets(), ElementsAre(Calls{"NewPkt", "PktDrop(PROCESSED)"},
                                     Calls{"NewPkt", "PktDrop(PROCESSED)"}));
  EXPECT_EQ(report_value(result.err, "dropped by the callout"), "2");
  EXPECT_EQ(report_value(result.err, "responses"), "0");
}

}  // namespace
}  // namespace calloutemu::test
