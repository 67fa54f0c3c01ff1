// Under ThreadSanitizer, --workers 4: the hooks of different requests run at
// once, so racy's unsynchronised counter is reported as a data race in its
// hook functions, and locked's is not; calloutemu itself races nowhere. The
// same through the callout host (--host process), whose threads run the
// workers' hook calls at once: the host is built with ThreadSanitizer too,
// and reports on the standard error it shares with calloutemu.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "run_program.h"
#include "temp_dir.h"

namespace calloutemu::test {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRaceReport = "WARNING: ThreadSanitizer: data race";

class WorkersUnderTsan : public ::testing::Test {
 protected:
  // Every committed capture, the generated mix twenty times over: a few
  // hundred requests of every kind, with and without the server's replies.
  ProgramRun replay(const std::string& fixture, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {program_path().string(),
                                     "--dlls",
                                     callout_path(fixture).string(),
                                     "--workers",
                                     "4",
                                     "--config",
                                     fixture_source_path("captures/configs/lab.conf").string()};
    for (int i = 0; i < 20; ++i) {
      args.push_back("--pcap");
      args.push_back(fixture_source_path("captures/generated/every_type.pcap").string());
    }
    for (const char* capture : {"generated/with_replies.pcap", "generated/invalid.pcap",
                                "generated/mixed_noise.pcap", "real/dhclient_dnsmasq.pcap"}) {
      args.push_back("--pcap");
      args.push_back(fixture_source_path(std::string("captures/") + capture).string());
    }
    args.insert(args.end(), extra.begin(), extra.end());
    // halt_on_error=0: every race is reported; exitcode 66 when there was one.
    return run_program(args, RunOptions{dir_.path(),
                                        {{"TSAN_OPTIONS", "halt_on_error=0 exitcode=66"},
                                         {"CALLOUT_RECORD", (dir_ / "record.jsonl").string()}}});
  }

  TempDir dir_;
};

TEST_F(WorkersUnderTsan, ReportRacysCounterAsADataRaceInItsHooks) {
  const auto result = replay("racy");
  EXPECT_EQ(result.exit_code, 66) << result.err;
  EXPECT_THAT(result.err, HasSubstr(kRaceReport));
  // Both sides of the race are racy's hooks, in racy's module.
  EXPECT_THAT(result.err, ContainsRegex("#[0-9]+ (count_call|on_[a-z_]+) [^\n]*racy\\.c:[0-9]+"));
  EXPECT_THAT(result.err, HasSubstr("racy.so+"));
  EXPECT_THAT(result.err, ContainsRegex("SUMMARY: ThreadSanitizer: data race [^\n]*racy\\.c"));
}

TEST_F(WorkersUnderTsan, ReportNothingForLockedsCounter) {
  const auto result = replay("locked");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("ThreadSanitizer")));
}

// The host ends with _exit (nothing of an unloaded callout may run), so its
// race shows in the report, not in an exit status.
TEST_F(WorkersUnderTsan, ReportRacysCounterAsADataRaceInTheCalloutHost) {
  const auto result = replay("racy", {"--host", "process"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr(kRaceReport));
  EXPECT_THAT(result.err, ContainsRegex("#[0-9]+ (count_call|on_[a-z_]+) [^\n]*racy\\.c:[0-9]+"));
  EXPECT_THAT(result.err, ContainsRegex("SUMMARY: ThreadSanitizer: data race [^\n]*racy\\.c"));
  EXPECT_THAT(result.err, HasSubstr("(callouthost+0x"));  // the host's threads
  EXPECT_THAT(result.out + result.err, HasSubstr("callout host: "));
}

TEST_F(WorkersUnderTsan, ReportNothingForLockedsCounterInTheCalloutHost) {
  const auto result = replay("locked", {"--host", "process"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out + result.err, HasSubstr("callout host: "));
  EXPECT_THAT(result.err, Not(HasSubstr("ThreadSanitizer")));
}

// The host's own code, with the recorder and checked mode's guarded buffers.
TEST_F(WorkersUnderTsan, ReportNothingInTheCalloutHostWithTheRecorder) {
  const auto result =
      replay("recorder", {"--host", "process", "--trace", (dir_ / "trace.jsonl").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("ThreadSanitizer")));
  const auto checked = replay("recorder", {"--host", "process", "--checked"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_THAT(checked.err, Not(HasSubstr("ThreadSanitizer")));
}

// calloutemu's own code, with the trace, every report and the recorder's
// file written from the worker threads' results.
TEST_F(WorkersUnderTsan, ReportNothingInCalloutemuWithTheRecorder) {
  const auto result = replay(
      "recorder", {"--trace", (dir_ / "trace.jsonl").string(), "--junit",
                   (dir_ / "junit.xml").string(), "--summary-json",
                   (dir_ / "summary.json").string(), "--write-pcap", (dir_ / "out.pcap").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("ThreadSanitizer")));
}

TEST_F(WorkersUnderTsan, ReportNothingInCalloutemuWithNoop) {
  const auto result = replay("noop", {"--decisions", "capture"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("ThreadSanitizer")));
}

}  // namespace
}  // namespace calloutemu::test
