// What a replay leaves for CI: --trace, --expect, --junit, --write-pcap,
// --write-dropped, --summary-json, and their exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "json_lines.h"
#include "replay_fixture.h"

namespace calloutemu::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kDnsmasq = "captures/real/dhclient_dnsmasq.pcap";

std::string dnsmasq_capture() {
  return fixture_source_path(kDnsmasq).string();
}

bool have(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs a shell command in `dir`; its stdout.
std::string shell(const std::filesystem::path& dir, const std::string& command) {
  const auto result = run_program({"/bin/sh", "-c", command}, RunOptions{dir, {}});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t found = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++found;
  }
  return found;
}

class ResultsTest : public ReplayTest {
 protected:
  ProgramRun replay(std::vector<std::string> extra, const std::string& callout = "recorder",
                    std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args = {"--dlls", callout_path(callout).string(), "--pcap",
                                     dnsmasq_capture()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, std::move(env));
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
};

TEST_F(ResultsTest, TraceHasAHeaderTheLoadAndEveryHookCallInOrder) {
  const auto result = replay({"--trace", path("trace.jsonl")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto trace = read_json_lines(dir_ / "trace.jsonl");
  ASSERT_GE(trace.size(), 4u);
  EXPECT_EQ(trace[0]["record"], "header");
  EXPECT_EQ(trace[0]["schema"], "calloutemu-trace");
  EXPECT_EQ(trace[0]["version"], 1);
  EXPECT_EQ(trace[1]["record"], "load");
  EXPECT_EQ(trace[1]["outcome"], "loaded");
  EXPECT_EQ(trace[2]["hook"], "Control");
  EXPECT_EQ(trace[2]["code"]["name"], "START");
  EXPECT_EQ(trace.back()["code"]["name"], "STOP");
  // The recorder saw the same calls, in the same order, with the same packets.
  std::vector<nlohmann::json> hooks;
  for (const auto& record : trace) {
    if (record["record"] == "hook") {
      hooks.push_back(record);
    }
  }
  std::vector<nlohmann::json> seen;  // the recorder's, without its Entry record
  for (const auto& record : records()) {
    if (record["hook"] != "Entry") {
      seen.push_back(record);
    }
  }
  ASSERT_EQ(hooks.size(), seen.size());
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    EXPECT_EQ(hooks[i]["seq"], i + 1);
    EXPECT_EQ(hooks[i]["hook"], seen[i]["hook"]) << "call " << i + 1;
    if (seen[i].contains("packet_size") && hooks[i].contains("packet")) {
      EXPECT_EQ(hooks[i]["packet"]["length"], seen[i]["packet_size"]) << "call " << i + 1;
    }
  }
  EXPECT_EQ(hooks[1]["request"], 1);
  EXPECT_EQ(hooks[1]["frame"], 1);
  EXPECT_EQ(hooks[1]["hook"], "NewPkt");
  EXPECT_EQ(hooks[1]["reserved"], "R1");
  EXPECT_TRUE(hooks[1].contains("duration_us"));
}

TEST_F(ResultsTest, TraceToStdoutLeavesStdoutToTheTraceAlone) {
  const auto result = replay({"--trace", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::string line;
  std::size_t parsed = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
    ++parsed;
  }
  EXPECT_GT(parsed, 10u);
  EXPECT_THAT(result.err, HasSubstr("loaded: "));
  EXPECT_THAT(result.err, HasSubstr("\nrequests: 5\n"));
}

TEST_F(ResultsTest, ATraceComparedWithItselfPassesAndEditedItFailsWithADiff) {
  ASSERT_EQ(replay({"--trace", path("expected.jsonl")}).exit_code, 0);
  const auto same = replay({"--expect", path("expected.jsonl")});
  EXPECT_EQ(same.exit_code, 0) << same.err;

  // The third hook record (request 1's HandleOptions) expected to return 5.
  auto trace = read_json_lines(dir_ / "expected.jsonl");
  std::ofstream edited(dir_ / "edited.jsonl");
  int hooks = 0;
  for (auto record : trace) {
    if (record["record"] == "hook" && ++hooks == 3) {
      record["returned"] = 5;
    }
    edited << record.dump() << '\n';
  }
  edited.close();
  const auto differs = replay({"--expect", path("edited.jsonl"), "--junit", path("junit.xml")});
  EXPECT_EQ(differs.exit_code, 4) << differs.err;
  EXPECT_THAT(differs.err, HasSubstr("the run differs from the expected trace"));
  EXPECT_THAT(differs.err, HasSubstr("--- expected " + path("edited.jsonl")));
  EXPECT_THAT(differs.err, HasSubstr("\n-request 1 frame 1: HandleOptions"));
  EXPECT_THAT(differs.err, HasSubstr("\n+request 1 frame 1: HandleOptions"));
  // The report is still whole.
  EXPECT_THAT(differs.err, HasSubstr("\nrequests: 5\n"));
  const std::string junit = read_text_file(dir_ / "junit.xml");
  EXPECT_EQ(count(junit, "<failure"), 1u) << junit;
  EXPECT_THAT(junit, HasSubstr("type=\"expectation\""));
}

TEST_F(ResultsTest, ExpectUpdateRewritesTheFileThatThenMatches) {
  write_file("stale.jsonl", "not a trace\n");
  const auto update = replay({"--expect", path("stale.jsonl"), "--expect-update"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_EQ(read_json_lines(dir_ / "stale.jsonl")[0]["record"], "header");
  EXPECT_EQ(replay({"--expect", path("stale.jsonl")}).exit_code, 0);
}

TEST_F(ResultsTest, ABadExpectedTraceIsAnInputErrorBeforeAnyHookRuns) {
  write_file("bad.jsonl",
             "{\"record\":\"header\",\"schema\":\"calloutemu-trace\",\"version\":2}\n");
  const auto result = replay({"--expect", path("bad.jsonl")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(path("bad.jsonl")));
  EXPECT_THAT(result.out, Not(HasSubstr("Control(START)")));
  EXPECT_FALSE(std::filesystem::exists(record_));
}

TEST_F(ResultsTest, ResultOptionsAreCheckedBeforeTheRun) {
  EXPECT_EQ(
      run({"--dlls", callout_path("recorder").string(), "--trace", path("t.jsonl")}).exit_code, 1);
  const auto update = replay({"--expect-update"});
  EXPECT_EQ(update.exit_code, 1);
  EXPECT_THAT(update.err, HasSubstr("--expect-update needs --expect"));
  const auto twice = replay({"--trace", path("x"), "--junit", path("x")});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("both write"));
  const auto unwritable = replay({"--junit", path("missing/dir/j.xml")});
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_THAT(unwritable.err, HasSubstr(path("missing/dir/j.xml")));
}

TEST_F(ResultsTest, JunitHasOneValidCasePerRequest) {
  const auto result = replay({"--junit", path("junit.xml")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string junit = read_text_file(dir_ / "junit.xml");
  EXPECT_EQ(count(junit, "<testcase "), 5u) << junit;
  EXPECT_EQ(count(junit, "<failure"), 0u);
  EXPECT_THAT(junit, HasSubstr("name=\"frame 1 "));
  EXPECT_THAT(junit, HasSubstr(" DISCOVER\""));
  EXPECT_THAT(junit, HasSubstr("<system-out>NewPkt -> 0\nHandleOptions -> 0\n"));
  if (!have("xmllint")) {
    GTEST_SKIP() << "xmllint is not installed";
  }
  shell(dir_.path(), "xmllint --noout junit.xml");
}

TEST_F(ResultsTest, AFaultingHookFailsItsJunitCaseAndExits3) {
  const auto result = replay({"--junit", path("junit.xml")}, "crash",
                             {{"CALLOUT_CRASH_HOOK", "PktSend"}, {"CALLOUT_CRASH_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const std::string junit = read_text_file(dir_ / "junit.xml");
  // In-process the run ends at the faulting request (issue 6): requests 1 and 2.
  EXPECT_EQ(count(junit, "<testcase "), 2u);
  EXPECT_EQ(count(junit, "<failure"), 1u) << junit;
  EXPECT_THAT(junit, HasSubstr("type=\"hook fault\""));
}

TEST_F(ResultsTest, WritePcapHoldsTheResponsesAsPktSendLeftThem) {
  const auto result =
      replay({"--write-pcap", path("responses.pcap"), "--write-dropped", path("dropped.pcapng")},
             "addoption");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  if (!have("tshark")) {
    GTEST_SKIP() << "tshark is not installed";
  }
  const auto types =
      shell(dir_.path(), "tshark -r responses.pcap -T fields -e dhcp.option.dhcp 2>/dev/null");
  EXPECT_EQ(types, "2\n5\n5\n5\n");  // OFFER, then ACK three times
  const auto added =
      shell(dir_.path(),
            "tshark -r responses.pcap -Y 'dhcp.option.type == 224' -T fields -e frame.number "
            "2>/dev/null");
  EXPECT_EQ(added, "1\n2\n3\n4\n");
  const auto checksums = shell(dir_.path(),
                               "tshark -r responses.pcap -o ip.check_checksum:TRUE -o "
                               "udp.check_checksum:TRUE -T fields -e ip.checksum.status -e "
                               "udp.checksum.status 2>/dev/null");
  EXPECT_EQ(checksums, "1\t1\n1\t1\n1\t1\n1\t1\n");
  // Nothing was dropped: an empty capture file, readable.
  EXPECT_EQ(shell(dir_.path(), "tshark -r dropped.pcapng 2>/dev/null"), "");
}

TEST_F(ResultsTest, WriteDroppedNamesEachReasonInAComment) {
  const auto result =
      run({"--dlls", callout_path("recorder").string(), "--pcap", dnsmasq_capture(), "--inject",
           "NOMEM@2", "--inject", "TIMEOUT@4", "--write-dropped", path("dropped.pcapng")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  if (!have("tshark")) {
    GTEST_SKIP() << "tshark is not installed";
  }
  EXPECT_EQ(shell(dir_.path(), "tshark -r dropped.pcapng -T fields -e frame.comment 2>/dev/null"),
            "request 2: dropped: NOMEM (2)\nrequest 4: dropped: TIMEOUT (4)\n");
}

TEST_F(ResultsTest, SummaryJsonHasTheCountsAndTheExitCode) {
  const auto result = replay({"--summary-json", path("summary.json")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::ifstream in(dir_ / "summary.json");
  const auto summary = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(summary.is_discarded());
  EXPECT_EQ(summary["requests"], 5);
  EXPECT_EQ(summary["responses"]["ACK"], 3);
  EXPECT_EQ(summary["responses"]["OFFER"], 1);
  EXPECT_EQ(summary["exit_code"], 0);
  EXPECT_EQ(summary["hooks"]["NewPkt"]["calls"], 5);
  EXPECT_EQ(summary["hooks"]["PktSend"]["calls"], 4);
  EXPECT_THAT(result.err, AllOf(HasSubstr("\nlatency NewPkt: p50 "), HasSubstr("slowest hook")));
}

// The acceptance case on the charrua DORA capture (skipped without ../shared).
TEST_F(ResultsTest, DoraTraceMatchesItselfAndAMacfilterDenyDivergesAtNewPkt) {
  const auto shared = shared_dir();
  if (!shared) {
    GTEST_SKIP() << "../shared is not beside the project";
  }
  const auto dora = (*shared / "pcaps" / "charrua-dora.pcap").string();
  write_file("allow.txt", "MAC_ACTION = {DENY}\n");
  write_file("deny.txt", "MAC_ACTION = {DENY}\n00:0b:82:01:fc:42\n");
  auto dora_run = [&](const std::string& list, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--dlls", callout_path("macfilter").string(), "--pcap", dora};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, {{"CALLOUT_MACFILTER_LIST", path(list)}});
  };
  ASSERT_EQ(dora_run("allow.txt", {"--trace", path("dora.jsonl")}).exit_code, 0);
  EXPECT_EQ(dora_run("allow.txt", {"--expect", path("dora.jsonl")}).exit_code, 0);
  const auto denied = dora_run("deny.txt", {"--expect", path("dora.jsonl")});
  EXPECT_EQ(denied.exit_code, 4) << denied.err;
  EXPECT_THAT(denied.err, HasSubstr("first at its record 4, request 1"));
  EXPECT_THAT(denied.err, HasSubstr(" session: Control(START=1) -> 0\n-request 1 frame 1: NewPkt"));
  EXPECT_THAT(denied.err, HasSubstr("ProcessIt TRUE -> 0\n"));
  EXPECT_THAT(denied.err, HasSubstr("\n+request 1 frame 1: NewPkt"));
  EXPECT_THAT(denied.err, HasSubstr("ProcessIt FALSE -> 0\n"));
}

}  // namespace
}  // namespace calloutemu::test
