// The committed fixture captures replayed through the recorder: each run's
// hook sequence is compared with the expected file beside the captures
// (fixtures/captures/expected/NAME.txt). CALLOUTEMU_UPDATE_EXPECTED=1
// rewrites the files instead; review the diff before committing it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "replay_fixture.h"
#include "wine_fixtures.h"

namespace calloutemu::test {
namespace {

struct CaptureCase {
  const char* name;     // the expected file's name
  const char* capture;  // under fixtures/captures/
  std::vector<std::string> options;
};

void PrintTo(const CaptureCase& c, std::ostream* out) {
  *out << c.name;
}

std::string config(const std::string& name) {
  return fixture_source_path("captures/configs/" + name).string();
}

// One line per packet: its calls, space-separated. Calls made between
// packets (DeleteClient on expiry, Control(PAUSE)) end the line before.
std::string describe_packets(const std::vector<std::vector<std::string>>& packets) {
  std::string text;
  for (const auto& packet : packets) {
    for (std::size_t i = 0; i < packet.size(); ++i) {
      text += (i == 0 ? "" : " ") + packet[i];
    }
    text += '\n';
  }
  return text;
}

class FixtureCaptureTest : public ReplayTest, public ::testing::WithParamInterface<CaptureCase> {
 protected:
  // Replays the case through `recorder` and compares the hook sequence with
  // the expected file; `host_args` choose where the chain runs.
  void expect_hook_sequence(const std::filesystem::path& recorder,
                            const std::vector<std::string>& host_args);
};

TEST_P(FixtureCaptureTest, GetsTheExpectedHookSequence) {
  expect_hook_sequence(callout_path("recorder"), {});
}

// The same expected sequences from recorder.dll in callouthost.exe under Wine.
TEST_P(FixtureCaptureTest, GetsTheExpectedHookSequenceFromThePeDllUnderWine) {
  SKIP_WITHOUT_WINE();
  if (std::getenv("CALLOUTEMU_UPDATE_EXPECTED") != nullptr) {
    GTEST_SKIP() << "the expected files are rewritten from the native run only";
  }
  expect_hook_sequence(windows_callout_path("recorder"), {"--host", "wine"});
}

// --workers 4 runs the worker stage of several requests at once: the trace
// and what the callout saw of each packet are still those of one worker.
TEST_P(FixtureCaptureTest, GetsTheSameTraceAndRecordsWithFourWorkers) {
  const auto& c = GetParam();
  std::vector<std::string> args = {
      "--dlls", callout_path("recorder").string(), "--pcap",
      fixture_source_path(std::string("captures/") + c.capture).string()};
  args.insert(args.end(), c.options.begin(), c.options.end());
  expect_four_workers_to_give_the_run_of_one(args);
}

// A callout host runs the hooks of the worker threads at once, each worker's
// call on a lane and a host thread of its own: the trace and the records are
// still those of one worker.
class WorkersWithAHost : public ReplayTest {
 protected:
  void expect_the_trace_of_one_worker(const std::filesystem::path& recorder,
                                      const std::string& host) {
    std::vector<std::string> args = {"--dlls", recorder.string(), "--host",
                                     host,     "--config",        config("lab.conf")};
    for (const char* capture : {"generated/every_type.pcap", "generated/with_replies.pcap",
                                "generated/duplicate.pcap", "real/dhclient_dnsmasq.pcap"}) {
      args.push_back("--pcap");
      args.push_back(fixture_source_path(std::string("captures/") + capture).string());
    }
    expect_four_workers_to_give_the_run_of_one(args);
  }
};

TEST_F(WorkersWithAHost, GiveTheTraceAndRecordsOfOneWorker) {
  expect_the_trace_of_one_worker(callout_path("recorder"), "process");
}

TEST_F(WorkersWithAHost, GiveTheTraceAndRecordsOfOneWorkerUnderWine) {
  SKIP_WITHOUT_WINE();
  expect_the_trace_of_one_worker(windows_callout_path("recorder"), "wine");
}

void FixtureCaptureTest::expect_hook_sequence(const std::filesystem::path& recorder,
                                              const std::vector<std::string>& host_args) {
  const auto& c = GetParam();
  std::vector<std::string> args = {
      "--dlls", recorder.string(), "--pcap",
      fixture_source_path(std::string("captures/") + c.capture).string()};
  args.insert(args.end(), c.options.begin(), c.options.end());
  args.insert(args.end(), host_args.begin(), host_args.end());
  const auto result = run(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  std::string command = "# calloutemu --dlls recorder.so --pcap " + std::string(c.capture);
  for (const auto& option : c.options) {
    command += " " + (option.find('/') != std::string::npos
                          ? std::filesystem::path(option).filename().string()
                          : option);
  }
  const std::string actual = command + "\n" + describe_packets(packets());
  const auto expected_path =
      fixture_source_path(std::string("captures/expected/") + c.name + ".txt");
  if (const char* update = std::getenv("CALLOUTEMU_UPDATE_EXPECTED"); update && *update == '1') {
    write_text_file(expected_path, actual);
    GTEST_SKIP() << "rewrote " << expected_path;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path;
  EXPECT_EQ(actual, read_text_file(expected_path)) << "replay output:\n" << result.out;
  // Every packet ends with exactly one PktDrop(PROCESSED).
  for (const auto& packet : packets()) {
    ASSERT_FALSE(packet.empty());
    EXPECT_EQ(std::count(packet.begin(), packet.end(), "PktDrop(PROCESSED)"), 1);
  }
}

const std::string kLab = "--config";

INSTANTIATE_TEST_SUITE_P(
    Captures, FixtureCaptureTest,
    ::testing::Values(
        CaptureCase{"dora", "generated/dora.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"every_type", "generated/every_type.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"every_type.legacy",
                    "generated/every_type.pcap",
                    {kLab, config("lab.conf"), "--profile", "legacy"}},
        CaptureCase{"every_type.scripted",
                    "generated/every_type.pcap",
                    {kLab, config("lab.conf"), "--pause-at", "2", "--continue-at", "4", "--inject",
                     "NOMEM@5", "--inject", "INTERNAL_ERROR@6", "--inject", "TIMEOUT@7", "--inject",
                     "GEN_FAILURE@8", "--delete-client", "02:00:00:00:00:01@9"}},
        CaptureCase{"invalid", "generated/invalid.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"bootp.not_served", "generated/bootp.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"bootp.served", "generated/bootp.pcap", {kLab, config("lab_bootp.conf")}},
        CaptureCase{"bad_cookie", "generated/bad_cookie.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"duplicate", "generated/duplicate.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"wrong_server", "generated/wrong_server.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"wrong_server.legacy",
                    "generated/wrong_server.pcap",
                    {kLab, config("lab.conf"), "--profile", "legacy"}},
        CaptureCase{"relayed", "generated/relayed.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"vlan", "generated/vlan.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"sll", "generated/sll.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"sll2", "generated/sll2.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"oversize", "generated/oversize.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"mixed_noise", "generated/mixed_noise.pcap", {kLab, config("lab.conf")}},
        CaptureCase{"conflict", "generated/dora.pcap", {kLab, config("lab_conflict.conf")}},
        CaptureCase{"expiry", "generated/expiry.pcap", {kLab, config("lab_short_lease.conf")}},
        CaptureCase{"expiry.legacy",
                    "generated/expiry.pcap",
                    {kLab, config("lab_short_lease.conf"), "--profile", "legacy"}},
        CaptureCase{"unauthorized", "generated/dora.pcap", {kLab, config("lab_unauthorized.conf")}},
        CaptureCase{"no_subnets", "generated/dora.pcap", {}},
        CaptureCase{
            "with_replies.capture", "generated/with_replies.pcap", {"--decisions", "capture"}},
        CaptureCase{"with_replies.model",
                    "generated/with_replies.pcap",
                    {kLab, config("lab.conf"), "--decisions", "model"}},
        CaptureCase{"dhclient.capture", "real/dhclient_dnsmasq.pcap", {"--decisions", "capture"}},
        CaptureCase{"dhclient.model",
                    "real/dhclient_dnsmasq.pcap",
                    {kLab, config("dnsmasq_net.conf"), "--decisions", "model"}},
        CaptureCase{"udhcpc.capture", "real/udhcpc_dnsmasq.pcap", {"--decisions", "capture"}},
        CaptureCase{"udhcpc.model",
                    "real/udhcpc_dnsmasq.pcap",
                    {kLab, config("dnsmasq_net.conf"), "--decisions", "model"}},
        CaptureCase{"dhcpcd.capture", "real/dhcpcd_dnsmasq.pcap", {"--decisions", "capture"}},
        CaptureCase{"dhcpcd.model",
                    "real/dhcpcd_dnsmasq.pcap",
                    {kLab, config("dnsmasq_net.conf"), "--decisions", "model"}}),
    [](const ::testing::TestParamInfo<CaptureCase>& param_info) {
      std::string name = param_info.param.name;
      for (auto& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) {
          ch = '_';
        }
      }
      return name;
    });

}  // namespace
}  // namespace calloutemu::test
