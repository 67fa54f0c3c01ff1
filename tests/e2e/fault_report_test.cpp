// Issue 6, fault reports and the watchdog: where a hook crashed, the run that
// ends in-process and goes on through a host, hooks that block, slow hooks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "replay_fixture.h"
#include "wine_fixtures.h"

namespace calloutemu::test {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class FaultReportTest : public ReplayTest {
 protected:
  // every_type.pcap: eleven requests.
  ProgramRun replay(const std::filesystem::path& callout, std::vector<std::string> extra,
                    std::map<std::string, std::string> env) {
    std::vector<std::string> args = {
        "--dlls",  callout.string(),
        "--pcap",  fixture_source_path("captures/generated/every_type.pcap").string(),
        "--scope", "192.0.2.0/24",
        "--trace", (dir_ / "trace.jsonl").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, std::move(env));
  }

  std::vector<nlohmann::json> trace() const { return read_json_lines(dir_ / "trace.jsonl"); }

  // The request numbers of the trace's hook records, in order.
  std::vector<std::uint64_t> requests_in_trace() const {
    std::vector<std::uint64_t> requests;
    for (const auto& record : trace()) {
      if (record["record"] == "hook") {
        requests.push_back(record["request"].get<std::uint64_t>());
      }
    }
    return requests;
  }

  void expect_a_stuck_start_to_end_the_run(const std::vector<std::string>& where,
                                           const std::string& fault);
  void expect_a_stuck_entry_to_end_the_run(const std::vector<std::string>& where,
                                           const std::string& fault);
  void expect_stuck_calls_on_the_load_report(const std::vector<std::string>& where);

  static bool has_stop(const std::vector<nlohmann::json>& records) {
    for (const auto& record : records) {
      if (record.value("hook", "") == "Control" && record.contains("code") &&
          record["code"]["name"] == "STOP") {
        return true;
      }
    }
    return false;
  }
};

TEST_F(FaultReportTest, InProcessACrashEndsTheRunAtItsRequestWithWhereItHappened) {
  for (const char* kind : {"segv", "abort", "fpe", "ill"}) {
    SCOPED_TRACE(kind);
    const auto result = replay(callout_path("crash"), {},
                               {{"CALLOUT_CRASH_HOOK", "NewPkt"},
                                {"CALLOUT_CRASH_CALL", "2"},
                                {"CALLOUT_CRASH_KIND", kind}});
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
    EXPECT_THAT(result.err, HasSubstr("\n    #0 "));  // the backtrace
    EXPECT_THAT(result.err, HasSubstr(" " + callout_file_name("crash") + "+0x"));
    EXPECT_THAT(result.err,
                HasSubstr("replay stopped: at request 2 because NewPkt crashed in-process"));
    EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent"));
    EXPECT_THAT(result.out, Not(HasSubstr("unloaded:")));
    // The trace is complete JSON Lines up to the fault: request 1, then request 2's NewPkt.
    const auto records = trace();
    ASSERT_FALSE(records.empty());
    const auto& last = records.back();
    EXPECT_EQ(last["hook"], "NewPkt");
    EXPECT_EQ(last["request"], 2);
    EXPECT_TRUE(last.contains("fault"));
    EXPECT_THAT(last.value("location", ""), HasSubstr("+0x"));
    EXPECT_TRUE(last["backtrace"].is_array());
    EXPECT_FALSE(has_stop(records));
    for (const auto request : requests_in_trace()) {
      EXPECT_LE(request, 2u);
    }
    // The callout's own record: no hook of request 3.
    for (const auto& record : records) {
      EXPECT_NE(record.value("request", 0), 3);
    }
  }
}

TEST_F(FaultReportTest, InProcessACrashInStartReplaysNoRequest) {
  const auto result = replay(callout_path("crash"), {}, {{"CALLOUT_CRASH_HOOK", "Control"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control(START): crashed: SIGSEGV"));
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent"));
  EXPECT_THAT(result.err, HasSubstr("no request was replayed"));
  EXPECT_THAT(result.err, HasSubstr("hook calls: NewPkt 0,"));
  EXPECT_TRUE(requests_in_trace() == std::vector<std::uint64_t>{0});
}

// The run's last PktDrop call (its twelfth) crashes on a worker thread, as a
// rule after the capture was all read: STOP is still not sent. Which request
// it belongs to is the workers' timing (the PktDrops of requests 8 to 11 run
// on different workers, each request's own in order), so any is accepted.
TEST_F(FaultReportTest, InProcessACrashInTheLastRequestOnAWorkerThreadStillSendsNoStop) {
  const auto result = replay(callout_path("crash"), {"--workers", "4"},
                             {{"CALLOUT_CRASH_HOOK", "PktDrop"}, {"CALLOUT_CRASH_CALL", "12"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent"));
  EXPECT_THAT(result.err,
              ContainsRegex("replay stopped: at request (8|9|10|11) because PktDrop crashed"));
  EXPECT_FALSE(has_stop(trace()));
}

TEST_F(FaultReportTest, InProcessTheJunitReportIsClosedWithTheFaultingRequestFailed) {
  const auto result = replay(callout_path("crash"), {"--junit", (dir_ / "junit.xml").string()},
                             {{"CALLOUT_CRASH_HOOK", "PktSend"}, {"CALLOUT_CRASH_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const std::string junit = read_text_file(dir_ / "junit.xml");
  EXPECT_THAT(junit, HasSubstr("</testsuites>"));
  EXPECT_THAT(junit, HasSubstr("type=\"hook fault\""));
  EXPECT_THAT(junit, HasSubstr(callout_file_name("crash") + "+0x"));
  EXPECT_THAT(junit, HasSubstr("\n    #0 "));
}

TEST_F(FaultReportTest, ThroughANativeHostACrashIsLocatedAndTheRunGoesOn) {
  const auto result = replay(callout_path("crash"), {"--host", "process"},
                             {{"CALLOUT_CRASH_HOOK", "NewPkt"}, {"CALLOUT_CRASH_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err,
              HasSubstr("(in the callout host) at " + callout_file_name("crash") + "+0x"));
  EXPECT_THAT(result.err, HasSubstr("restarted"));
  EXPECT_THAT(result.err, Not(HasSubstr("replay stopped")));
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): returned 0"));
  EXPECT_EQ(report_value(result.err, "requests"), "11");
}

TEST_F(FaultReportTest, UnderWineACrashIsLocatedInTheDll) {
  SKIP_WITHOUT_WINE();
  const auto result = replay(windows_callout_path("crash"), {"--host", "wine"},
                             {{"CALLOUT_CRASH_HOOK", "NewPkt"}, {"CALLOUT_CRASH_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err, HasSubstr("crash.dll+0x"));
  EXPECT_THAT(result.err, HasSubstr("restarted"));
}

TEST_F(FaultReportTest, InProcessABlockedHookTimesOutWithItsStackAndEndsTheRun) {
  const auto started = std::chrono::steady_clock::now();
  const auto result = replay(callout_path("block"), {"--hook-timeout", "200"},
                             {{"CALLOUT_BLOCK_HOOK", "NewPkt"}, {"CALLOUT_BLOCK_CALL", "2"}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err, HasSubstr("did not return within 200 ms"));
  EXPECT_THAT(result.err, HasSubstr(" " + callout_file_name("block") + "+0x"));
  EXPECT_THAT(result.err, HasSubstr("replay stopped: at request 2 because NewPkt did not return"));
  EXPECT_FALSE(has_stop(trace()));
}

// In-process, a hook that blocks the watchdog's signal cannot be interrupted:
// the grace after the interrupt ends, and the watchdog's thread ends the run
// as for a fault in that call, with every output written and closed.
TEST_F(FaultReportTest, InProcessAHookThatCannotBeInterruptedStillEndsTheRun) {
  const auto started = std::chrono::steady_clock::now();
  const auto junit = dir_ / "junit.xml";
  const auto summary = dir_ / "summary.json";
  const auto result = replay(
      callout_path("block"),
      {"--hook-timeout", "200", "--junit", junit.string(), "--summary-json", summary.string()},
      {{"CALLOUT_BLOCK_HOOK", "HandleOptions"},
       {"CALLOUT_BLOCK_CALL", "2"},
       {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): HandleOptions in "));
  EXPECT_THAT(result.err,
              HasSubstr("did not return within 200 ms, nor after the watchdog's interrupt"));
  EXPECT_THAT(result.err, HasSubstr("replay stopped: at request 2 because HandleOptions did not "
                                    "return within 200 ms, nor after the watchdog's interrupt"));
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent"));
  // The trace holds request 1 and request 2 up to the call that hung, which is last.
  const auto records = trace();
  ASSERT_FALSE(records.empty());
  const auto& last = records.back();
  EXPECT_EQ(last["hook"], "HandleOptions");
  EXPECT_EQ(last["request"], 2);
  EXPECT_THAT(last["fault"].get<std::string>(), HasSubstr("did not return within 200 ms"));
  EXPECT_FALSE(has_stop(records));
  const auto requests = requests_in_trace();
  EXPECT_EQ(std::count(requests.begin(), requests.end(), 2u), 2);  // NewPkt, HandleOptions
  const auto junit_text = read_text_file(junit);
  EXPECT_THAT(junit_text, HasSubstr("tests=\"2\""));
  EXPECT_THAT(junit_text, HasSubstr("failures=\"1\""));
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
}

// With worker threads too: the call is given up, its request ends there and
// the run ends with the trace of one worker, whether the held thread is a
// worker, the receive thread (NewPkt) or every worker (each PktSend blocks).
TEST_F(FaultReportTest, WithWorkersAHookThatCannotBeInterruptedEndsTheRunAsWithOne) {
  struct Case {
    const char* hook;
    const char* call;
    const char* stopped;
  };
  for (const Case& held : {Case{"HandleOptions", "2", "at request 2 because HandleOptions"},
                           Case{"NewPkt", "2", "at request 2 because NewPkt"},
                           Case{"PktSend", "every", "at request 1 because PktSend"}}) {
    SCOPED_TRACE(held.hook);
    const auto summary = dir_ / "summary.json";
    const std::vector<std::string> args = {
        "--dlls",         callout_path("block").string(),
        "--pcap",         fixture_source_path("captures/generated/every_type.pcap").string(),
        "--scope",        "192.0.2.0/24",
        "--hook-timeout", "200",
        "--summary-json", summary.string()};
    const std::map<std::string, std::string> env = {{"CALLOUT_BLOCK_HOOK", held.hook},
                                                    {"CALLOUT_BLOCK_CALL", held.call},
                                                    {"CALLOUT_BLOCK_MASK", "1"}};
    const auto one = run_workers(args, 1, env);
    EXPECT_EQ(one.exit_code, 3) << one.err;
    std::filesystem::remove(summary);
    const auto four = run_workers(args, 4, env);
    EXPECT_EQ(four.exit_code, 3) << four.err;
    EXPECT_THAT(four.err, HasSubstr(std::string("replay stopped: ") + held.stopped +
                                    " did not return within 200 ms, nor after the watchdog's "
                                    "interrupt in-process"));
    EXPECT_THAT(four.trace, HasSubstr("did not return within 200 ms"));
    EXPECT_EQ(four.trace, one.trace);
    EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
  }
}

// With --checked --workers the hooks take turns: the calls waiting behind
// the held one are refused rather than waiting for ever.
TEST_F(FaultReportTest, CheckedWithWorkersAHookThatCannotBeInterruptedEndsTheRun) {
  const auto summary = dir_ / "summary.json";
  const auto result = replay(
      callout_path("block"),
      {"--hook-timeout", "200", "--workers", "4", "--checked", "--summary-json", summary.string()},
      {{"CALLOUT_BLOCK_HOOK", "HandleOptions"},
       {"CALLOUT_BLOCK_CALL", "2"},
       {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("replay stopped: at request 2 because HandleOptions did not "
                                    "return within 200 ms, nor after the watchdog's interrupt"));
  const auto records = trace();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back()["hook"], "HandleOptions");
  EXPECT_EQ(records.back()["request"], 2);
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
}

// START and STOP run outside the replay's requests: a START the watchdog
// cannot interrupt ends the run rather than holding it for ever, as a crash
// in START does: its record in the trace, the summary, the closed outputs,
// exit 3. `where` chooses the chain's place (in-process, a host); `fault` is
// how the call's fault begins there.
void FaultReportTest::expect_a_stuck_start_to_end_the_run(const std::vector<std::string>& where,
                                                          const std::string& fault) {
  const auto summary = dir_ / "summary.json";
  const auto junit = dir_ / "junit.xml";
  std::vector<std::string> args = {"--hook-timeout", "200",     "--summary-json",
                                   summary.string(), "--junit", junit.string()};
  args.insert(args.end(), where.begin(), where.end());
  const auto result = replay(callout_path("block"), args,
                             {{"CALLOUT_BLOCK_HOOK", "Control"},
                              {"CALLOUT_BLOCK_CALL", "1"},  // Control's first call is START
                              {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("loaded: " + callout_path("block").string()));
  EXPECT_THAT(result.out, HasSubstr("Control(START): " + fault));
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): not sent (Control(START) did not return)"));
  EXPECT_EQ(report_value(result.err, "requests"), "0");
  EXPECT_EQ(report_value(result.err, "hook faults"), "1");
  EXPECT_THAT(result.err, HasSubstr("replay stopped: Control(START) in "));
  const auto records = trace();
  ASSERT_EQ(records.size(), 3u);  // header, load, START
  EXPECT_EQ(records[1]["outcome"], "loaded");
  EXPECT_EQ(records[2]["code"]["name"], "START");
  EXPECT_THAT(records[2]["fault"].get<std::string>(), HasSubstr(fault));
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"faults\": 1"));
  EXPECT_THAT(read_text_file(junit), HasSubstr("</testsuites>"));
  EXPECT_FALSE(std::filesystem::exists(junit.string() + ".cases.tmp"));
}

// An entry given up on: its load record says so, no other DLL is tried
// (noop.so, listed after it, is not loaded).
void FaultReportTest::expect_a_stuck_entry_to_end_the_run(const std::vector<std::string>& where,
                                                          const std::string& fault) {
  const auto summary = dir_ / "summary.json";
  std::vector<std::string> args = {"--dlls",         callout_path("noop").string(),
                                   "--hook-timeout", "200",
                                   "--summary-json", summary.string()};
  args.insert(args.end(), where.begin(), where.end());
  const auto result = replay(callout_path("block"), args,
                             {{"CALLOUT_BLOCK_HOOK", "Entry"}, {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("loaded: none"));
  EXPECT_THAT(result.err, HasSubstr("DhcpServerCalloutEntry " + fault));
  EXPECT_THAT(result.err, HasSubstr("replay stopped: the entry of "));
  EXPECT_EQ(report_value(result.err, "hook faults"), "1");
  const auto records = trace();
  ASSERT_EQ(records.size(), 2u);  // header, block's load
  EXPECT_EQ(records[1]["dll"], callout_path("block").string());
  EXPECT_EQ(records[1]["outcome"], "entry crashed");
  EXPECT_THAT(records[1]["reason"].get<std::string>(), HasSubstr(fault));
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"faults\": 1"));
}

const std::string kGivenUp = "did not return within 200 ms, nor after the watchdog's interrupt";
const std::string kHostKilled = "did not return within 200 ms (the callout host did not answer";

TEST_F(FaultReportTest, InProcessAStartThatCannotBeInterruptedIsReportedAndTheRunEnds) {
  expect_a_stuck_start_to_end_the_run({}, kGivenUp);
}

TEST_F(FaultReportTest, InProcessAnEntryThatCannotBeInterruptedIsReportedAndTheRunEnds) {
  expect_a_stuck_entry_to_end_the_run({}, kGivenUp);
}

TEST_F(FaultReportTest, ThroughANativeHostAStartThatCannotBeInterruptedIsReportedAndTheRunEnds) {
  expect_a_stuck_start_to_end_the_run({"--host", "process"}, kHostKilled);
}

TEST_F(FaultReportTest, ThroughANativeHostAnEntryThatCannotBeInterruptedIsReportedAndTheRunEnds) {
  expect_a_stuck_entry_to_end_the_run({"--host", "process"}, kHostKilled);
}

// Without a capture the run reports the stuck call on its load report.
void FaultReportTest::expect_stuck_calls_on_the_load_report(const std::vector<std::string>& where) {
  struct Case {
    const char* hook;
    const char* call;
    std::vector<std::string> lines;
  };
  const std::vector<Case> cases = {
      {"Entry", "1", {"loaded: none"}},
      {"Control", "1", {"Control(START): did not return", "Control(STOP): not sent"}},
      {"Control", "2", {"Control(START): returned 0", "Control(STOP): did not return"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.hook) + ", call " + c.call);
    std::vector<std::string> args = {"--dlls", callout_path("block").string(), "--hook-timeout",
                                     "200"};
    args.insert(args.end(), where.begin(), where.end());
    const auto result = run(args, {{"CALLOUT_BLOCK_HOOK", c.hook},
                                   {"CALLOUT_BLOCK_CALL", c.call},
                                   {"CALLOUT_BLOCK_MASK", "1"}});
    EXPECT_EQ(result.exit_code, 3) << result.err;
    for (const auto& line : c.lines) {
      EXPECT_THAT(result.out, HasSubstr(line));
    }
  }
}

TEST_F(FaultReportTest, InProcessWithoutACaptureAStuckCallIsReportedOnTheLoadReport) {
  expect_stuck_calls_on_the_load_report({});
}

TEST_F(FaultReportTest, ThroughANativeHostWithoutACaptureAStuckCallIsReportedOnTheLoadReport) {
  expect_stuck_calls_on_the_load_report({"--host", "process"});
}

// A STOP given up on after the replay is reported as that call, with every
// request before it and the summary.
TEST_F(FaultReportTest, InProcessAStopThatCannotBeInterruptedIsReportedAndTheRunEnds) {
  const auto summary = dir_ / "summary.json";
  const auto result =
      replay(callout_path("block"), {"--hook-timeout", "200", "--summary-json", summary.string()},
             {{"CALLOUT_BLOCK_HOOK", "Control"},
              {"CALLOUT_BLOCK_CALL", "2"},  // STOP
              {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): did not return within 200 ms, nor after the "
                                    "watchdog's interrupt"));
  EXPECT_THAT(result.out, HasSubstr("not unloaded: "));
  EXPECT_EQ(report_value(result.err, "requests"), "11");
  EXPECT_EQ(report_value(result.err, "hook faults"), "1");
  const auto records = trace();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back()["hook"], "Control");
  EXPECT_EQ(records.back()["code"]["name"], "STOP");
  EXPECT_THAT(records.back()["fault"].get<std::string>(), HasSubstr("did not return"));
  const auto requests = requests_in_trace();  // STOP's is 0
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(*std::max_element(requests.begin(), requests.end()), 11u);
  EXPECT_THAT(read_text_file(summary), HasSubstr("\"exit_code\": 3"));
}

TEST_F(FaultReportTest, ThroughANativeHostABlockedHookTimesOutAndTheRunGoesOn) {
  const auto result = replay(callout_path("block"), {"--host", "process", "--hook-timeout", "200"},
                             {{"CALLOUT_BLOCK_HOOK", "NewPkt"}, {"CALLOUT_BLOCK_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err, HasSubstr("did not return within 200 ms (in the callout host)"));
  EXPECT_THAT(result.err, HasSubstr(callout_file_name("block") + "+0x"));  // the host's stack
  EXPECT_THAT(result.err, HasSubstr("restarted"));
  EXPECT_EQ(report_value(result.err, "requests"), "11");
  EXPECT_THAT(result.out, HasSubstr("Control(STOP): returned 0"));
}

// The host's watchdog cannot interrupt a hook that blocks its signal: the
// client gives up after the limit and the grace, kills the host, and goes on.
TEST_F(FaultReportTest, AHostBlockedWithSignalsMaskedIsKilledAndTheRunGoesOn) {
  const auto started = std::chrono::steady_clock::now();
  const auto result = replay(
      callout_path("block"), {"--host", "process", "--hook-timeout", "200"},
      {{"CALLOUT_BLOCK_HOOK", "NewPkt"}, {"CALLOUT_BLOCK_CALL", "2"}, {"CALLOUT_BLOCK_MASK", "1"}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err,
              HasSubstr("did not return within 200 ms (the callout host did not answer"));
  EXPECT_THAT(result.err, HasSubstr("restarted"));
  EXPECT_EQ(report_value(result.err, "requests"), "11");
}

TEST_F(FaultReportTest, UnderWineABlockedHookTimesOutAndTheRunGoesOn) {
  SKIP_WITHOUT_WINE();
  const auto result =
      replay(windows_callout_path("block"), {"--host", "wine", "--hook-timeout", "500"},
             {{"CALLOUT_BLOCK_HOOK", "NewPkt"}, {"CALLOUT_BLOCK_CALL", "2"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 2 (frame 2 of every_type.pcap): NewPkt in "));
  EXPECT_THAT(result.err, HasSubstr("did not return within 500 ms"));
  EXPECT_THAT(result.err, HasSubstr("restarted"));
  EXPECT_EQ(report_value(result.err, "requests"), "11");
}

TEST_F(FaultReportTest, SlowHooksAreWarnedAboutAndCounted) {
  const auto result = replay(callout_path("block"),
                             {"--slow-hook", "20", "--summary-json", (dir_ / "s.json").string()},
                             {{"CALLOUT_BLOCK_HOOK", "PktSend"}, {"CALLOUT_BLOCK_MS", "60"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("request 1 (frame 1 of every_type.pcap): PktSend(SEND_PACKET) took "));
  EXPECT_THAT(result.err, HasSubstr(": a hook should not block"));
  EXPECT_EQ(report_value(result.err, "slow hook calls"), "1 (over 20 ms)");
  const auto summary = nlohmann::json::parse(read_text_file(dir_ / "s.json"));
  EXPECT_EQ(summary["slow_hook_calls"], 1);

  const auto start = replay(callout_path("block"), {"--slow-hook", "20"},
                            {{"CALLOUT_BLOCK_HOOK", "Control"}, {"CALLOUT_BLOCK_MS", "60"}});
  EXPECT_THAT(start.err, HasSubstr("warning: Control(START) took "));
}

TEST_F(FaultReportTest, WithoutAFaultNothingChanges) {
  const auto result =
      replay(callout_path("block"), {"--hook-timeout", "1000", "--slow-hook", "500"}, {});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(report_value(result.err, "hook faults"), "0");
  EXPECT_EQ(report_value(result.err, "slow hook calls"), "0 (over 500 ms)");
  EXPECT_TRUE(has_stop(trace()));
}

}  // namespace
}  // namespace calloutemu::test
