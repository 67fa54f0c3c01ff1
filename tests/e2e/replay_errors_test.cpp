// Bad input and failing callouts during a replay: a clear error naming the
// file or option, the right exit code, and nothing already reported lost.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "replay_fixture.h"

namespace calloutemu::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Calls = std::vector<std::string>;

void put32le(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out += static_cast<char>((value >> (8 * i)) & 0xFF);
  }
}

// A DHCP DISCOVER in an Ethernet/IPv4/UDP frame (checksums left 0: the
// decoder does not verify them).
std::string discover_frame(std::uint8_t client) {
  std::vector<std::uint8_t> dhcp(240, 0);
  dhcp[0] = 1;
  dhcp[1] = 1;
  dhcp[2] = 6;
  dhcp[7] = client;  // xid
  dhcp[28] = 0x02;
  dhcp[33] = client;  // chaddr 02:00:00:00:00:NN
  const std::uint8_t cookie[] = {99, 130, 83, 99};
  std::copy(std::begin(cookie), std::end(cookie), dhcp.begin() + 236);
  for (std::uint8_t byte :
       {std::uint8_t{53}, std::uint8_t{1}, std::uint8_t{1}, std::uint8_t{255}}) {
    dhcp.push_back(byte);
  }
  dhcp.resize(300, 0);
  const std::size_t udp_length = 8 + dhcp.size();
  const std::size_t ip_length = 20 + udp_length;
  std::vector<std::uint8_t> frame = {0xff, 0xff, 0xff, 0xff, 0xff,   0xff, 0x02,
                                     0,    0,    0,    0,    client, 0x08, 0x00};
  const std::uint8_t ip[] = {0x45,
                             0,
                             static_cast<std::uint8_t>(ip_length >> 8),
                             static_cast<std::uint8_t>(ip_length),
                             0,
                             0,
                             0,
                             0,
                             64,
                             17,
                             0,
                             0,
                             0,
                             0,
                             0,
                             0,
                             255,
                             255,
                             255,
                             255};
  frame.insert(frame.end(), std::begin(ip), std::end(ip));
  const std::uint8_t udp[] = {0,
                              68,
                              0,
                              67,
                              static_cast<std::uint8_t>(udp_length >> 8),
                              static_cast<std::uint8_t>(udp_length),
                              0,
                              0};
  frame.insert(frame.end(), std::begin(udp), std::end(udp));
  frame.insert(frame.end(), dhcp.begin(), dhcp.end());
  return std::string(frame.begin(), frame.end());
}

// A pcap file (microseconds, Ethernet) of DISCOVERs from clients 1..count,
// one second apart; `cut` bytes are removed from its end.
std::string pcap_of_discovers(int count, std::size_t cut = 0) {
  std::string file;
  put32le(file, 0xa1b2c3d4);
  file += std::string("\x02\x00\x04\x00", 4);
  put32le(file, 0);
  put32le(file, 0);
  put32le(file, 65535);
  put32le(file, 1);
  for (int i = 1; i <= count; ++i) {
    const auto frame = discover_frame(static_cast<std::uint8_t>(i));
    put32le(file, 1767225600u + static_cast<std::uint32_t>(i));
    put32le(file, 0);
    put32le(file, static_cast<std::uint32_t>(frame.size()));
    put32le(file, static_cast<std::uint32_t>(frame.size()));
    file += frame;
  }
  file.resize(file.size() - cut);
  return file;
}

class ReplayErrorsTest : public ReplayTest {
 protected:
  std::string recorder() const { return callout_path("recorder").string(); }
};

TEST_F(ReplayErrorsTest, AMissingCaptureIsAnInputErrorBeforeAnyCalloutLoads) {
  const auto result = run({"--dlls", recorder(), "--pcap", "nowhere.pcap"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("nowhere.pcap"));
  EXPECT_THAT(records(), ::testing::IsEmpty());
}

TEST_F(ReplayErrorsTest, AFileThatIsNotACaptureNamesTheFile) {
  const auto path = write_file("notes.pcap", "these are not packets\n");
  const auto result = run({"--dlls", recorder(), "--pcap", path.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("notes.pcap"));
  EXPECT_THAT(records(), ::testing::IsEmpty());
}

TEST_F(ReplayErrorsTest, ABadFilterIsReported) {
  const auto path = write_file("two.pcap", pcap_of_discovers(2));
  const auto result =
      run({"--dlls", recorder(), "--pcap", path.string(), "--filter", "udp port banana"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("filter"));
}

TEST_F(ReplayErrorsTest, ATruncatedCaptureKeepsWhatWasReplayedAndExitsOne) {
  const auto path = write_file("cut.pcap", pcap_of_discovers(3, 100));
  const auto result =
      run({"--dlls", recorder(), "--pcap", path.string(), "--scope", "192.0.2.0/24"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cut.pcap"));
  EXPECT_EQ(report_value(result.err, "requests"), "2");
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): returned 0\n"));
  EXPECT_EQ(packets().size(), 2u);
  EXPECT_EQ(describe_call(records().back()), "Control(STOP)");
}

TEST_F(ReplayErrorsTest, ACrashInAHookIsReportedWithItsRequestEndsTheRunAndExitsThree) {
  const auto path = write_file("three.pcap", pcap_of_discovers(3));
  const auto result = run({"--dlls", callout_path("crash").string(), "--pcap", path.string(),
                           "--scope", "192.0.2.0/24"},
                          {{"CALLOUT_CRASH_HOOK", "PktSend"}, {"CALLOUT_CRASH_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of three.pcap): PktSend(SEND_PACKET) in "));
  EXPECT_THAT(result.err, HasSubstr("SIGSEGV"));
  // In-process the crash ends the replay (issue 6): request 1 was answered,
  // request 2's response was never sent, request 3 was not replayed.
  EXPECT_EQ(report_value(result.err, "responses"), "1 (OFFER 1)");
  EXPECT_EQ(report_value(result.err, "hook faults"), "1");
  EXPECT_THAT(report_value(result.err, "hook calls"), HasSubstr("NewPkt 2,"));
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent"));
}

TEST_F(ReplayErrorsTest, WithoutAScopeOrRepliesRequestsAreDroppedWithNoSubnetsAndTheRunSaysWhy) {
  const auto path = write_file("two.pcap", pcap_of_discovers(2));
  const auto result = run({"--dlls", recorder(), "--pcap", path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("no scope is configured"));
  EXPECT_EQ(report_value(result.err, "dropped"), "2 (NO_SUBNETS 2)");
  EXPECT_THAT(packets(), ElementsAre(Calls{"NewPkt", "PktDrop(NO_SUBNETS)", "PktDrop(PROCESSED)"},
                                     Calls{"NewPkt", "PktDrop(NO_SUBNETS)", "PktDrop(PROCESSED)"}));
}

TEST_F(ReplayErrorsTest, BadReplayOptionsNameTheOptionAndTheValue) {
  const auto path = write_file("one.pcap", pcap_of_discovers(1));
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--inject", "BOGUS@1"}, "--inject: 'BOGUS' cannot be injected"},
      {{"--inject", "NOMEM"}, "--inject: 'NOMEM' is not CODE@N"},
      {{"--inject", "NOMEM@0"}, "--inject: '0' is not a request number"},
      {{"--pause-at", "x"}, "--pause-at: 'x' is not a request number"},
      {{"--delete-client", "00:11@3"}, "--delete-client: '00:11' is not a MAC address"},
      {{"--decisions", "guess"}, "--decisions: 'guess' is not model, capture or auto"},
      {{"--duplicate-window", "-1"}, "--duplicate-window: '-1' is not a number of seconds"},
      {{"--scope", "192.0.2.1/24"}, "192.0.2.1/24"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args = {"--dlls", recorder(), "--pcap", path.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run(args);
    EXPECT_EQ(result.exit_code, 1) << extra[0];
    EXPECT_THAT(result.err, HasSubstr(message)) << extra[0];
  }
  EXPECT_THAT(records(), ::testing::IsEmpty());
}

TEST_F(ReplayErrorsTest, AScopeErrorInTheConfigFileNamesTheFileAndLine) {
  const auto path = write_file("one.pcap", pcap_of_discovers(1));
  const auto config = write_file("run.conf", "dlls = " + recorder() +
                                                 "\n[scope lab]\nsubnet = 192.0.2.0/24\n"
                                                 "range = 192.0.3.1 - 192.0.3.9\n");
  const auto result = run({"--config", config.string(), "--pcap", path.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("run.conf:4:"));
  EXPECT_THAT(records(), ::testing::IsEmpty());
}

TEST_F(ReplayErrorsTest, ScopesFromTheConfigFileServeTheReplay) {
  const auto path = write_file("two.pcap", pcap_of_discovers(2));
  const auto config = write_file("run.conf", "dlls = " + recorder() +
                                                 "\n[scope lab]\nsubnet = 192.0.2.0/24\n"
                                                 "range = 192.0.2.50 - 192.0.2.50\n");
  const auto result = run({"--config", config.string(), "--pcap", path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // One address for two clients: the second gets none.
  EXPECT_EQ(report_value(result.err, "responses"), "1 (OFFER 1)");
  EXPECT_EQ(report_value(result.err, "dropped"), "1 (NOADDRESS 1)");
}

TEST_F(ReplayErrorsTest, ScriptedEventsThatNeverHappenAreReported) {
  const auto path = write_file("two.pcap", pcap_of_discovers(2));
  const auto result = run({"--dlls", recorder(), "--pcap", path.string(), "--scope", "192.0.2.0/24",
                           "--pause-at", "5", "--inject", "NOMEM@9"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--pause-at 5 never happened: the replay had 2 requests"));
  EXPECT_THAT(result.err, HasSubstr("--inject NOMEM@9 never happened"));
}

TEST_F(ReplayErrorsTest, CalloutsDisabledStillReplaysTheServerWithoutHooks) {
  const auto path = write_file("two.pcap", pcap_of_discovers(2));
  const auto reg = write_file(
      "off.reg",
      "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\"
      "Parameters]\r\n\"CalloutEnabled\"=dword:00000000\r\n");
  const auto result =
      run({"--reg-file", reg.string(), "--pcap", path.string(), "--scope", "192.0.2.0/24"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("no DLL is loaded and no hook runs; the replay runs without them"));
  EXPECT_EQ(report_value(result.err, "responses"), "2 (OFFER 2)");
  EXPECT_THAT(result.out, Not(HasSubstr("Control(STOP)")));
}

}  // namespace
}  // namespace calloutemu::test
