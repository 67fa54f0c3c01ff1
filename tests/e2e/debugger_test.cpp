// --break-before, --break-always and --wait-for-debugger, under gdb where
// the machine has it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "replay_fixture.h"
#include "wine_fixtures.h"

namespace calloutemu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kKilledBySigtrap = 128 + 5;

bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

bool have_gdb() {
  return have_program("gdb");
}

class DebuggerTest : public ReplayTest {
 protected:
  std::vector<std::string> replay(std::vector<std::string> more = {}) const {
    std::vector<std::string> args{"--dlls", callout_path("recorder").string(), "--pcap",
                                  fixture_source_path("captures/real/dhclient_dnsmasq.pcap")};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  std::size_t calls_of(const std::string& hook) const {
    std::size_t calls = 0;
    for (const auto& record : records()) {
      calls += record["hook"] == hook ? 1u : 0u;
    }
    return calls;
  }

  ProgramRun under_gdb(const std::vector<std::string>& args) {
    std::vector<std::string> command{
        "/usr/bin/env", "gdb", "-nx", "--batch", "-ex",
        "run",          "-ex", "bt",  "--args",  program_path().string()};
    command.insert(command.end(), args.begin(), args.end());
    // LeakSanitizer cannot run under ptrace (it fails the run in a sanitizer build).
    return run_program(command, RunOptions{dir_.path(),
                                           {{"CALLOUT_RECORD", record_.string()},
                                            {"ASAN_OPTIONS", "detect_leaks=0"}}});
  }
};

TEST_F(DebuggerTest, GdbStopsInsideCalloutemuJustBeforeTheThirdNewPkt) {
  if (!have_gdb()) {
    GTEST_SKIP() << "gdb is not installed";
  }
  const auto result = under_gdb(replay({"--break-before", "NewPkt@3"}));
  EXPECT_THAT(result.out + result.err, HasSubstr("SIGTRAP"));
  EXPECT_THAT(result.out, HasSubstr("calloutemu::loader::stop_before_hook"));
  EXPECT_THAT(result.out, HasSubstr("calloutemu::server::ServerCore::receive"));
  EXPECT_THAT(result.err, HasSubstr("stopping in the debugger before NewPkt of request 3"));
  // gdb ended the program at the break point: two requests went through.
  EXPECT_EQ(calls_of("NewPkt"), 2u);
}

TEST_F(DebuggerTest, WithoutADebuggerTheRunDoesNotStop) {
  const auto result = run(replay({"--break-before", "NewPkt@3", "--break-before", "PktSend"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("no debugger is attached"));
  EXPECT_GT(calls_of("NewPkt"), 3u);
}

TEST_F(DebuggerTest, BreakAlwaysStopsWithoutADebugger) {
  const auto result = run(replay({"--break-before", "newpkt@3", "--break-always"}));
  EXPECT_EQ(result.exit_code, kKilledBySigtrap) << result.err;
  EXPECT_EQ(calls_of("NewPkt"), 2u);
}

TEST_F(DebuggerTest, AHookWithoutARequestNumberStopsAtItsFirstCall) {
  const auto result = run(replay({"--break-before", "PktSend", "--break-always"}));
  EXPECT_EQ(result.exit_code, kKilledBySigtrap) << result.err;
  EXPECT_EQ(calls_of("PktSend"), 0u);
  EXPECT_GE(calls_of("NewPkt"), 1u);
}

TEST_F(DebuggerTest, ControlBreaksBeforePauseAtItsRequest) {
  const auto result =
      run(replay({"--pause-at", "2", "--break-before", "Control@2", "--break-always"}));
  EXPECT_EQ(result.exit_code, kKilledBySigtrap) << result.err;
  EXPECT_EQ(calls_of("NewPkt"), 1u);
  EXPECT_EQ(calls_of("Control"), 1u);  // START only: PAUSE was next
}

TEST_F(DebuggerTest, ControlAtZeroBreaksBeforeStart) {
  const auto result = run(replay({"--break-before", "Control@0", "--break-always"}));
  EXPECT_EQ(result.exit_code, kKilledBySigtrap) << result.err;
  EXPECT_EQ(calls_of("Entry"), 1u);
  EXPECT_EQ(calls_of("Control"), 0u);
}

TEST_F(DebuggerTest, WaitForDebuggerWaitsUntilOneAttaches) {
  std::string command = "timeout 2 '" + program_path().string() + "' --wait-for-debugger";
  for (const auto& arg : replay()) {
    command += " '" + arg + "'";
  }
  const auto waited =
      run_program({"/bin/sh", "-c", command + "; echo status $?"}, RunOptions{dir_.path(), {}});
  EXPECT_THAT(waited.out, HasSubstr("status 124"));  // still waiting when timeout ended it
  EXPECT_THAT(waited.err, HasSubstr("waits for a debugger to attach (gdb -p "));
  EXPECT_THAT(waited.out, Not(HasSubstr("Control(START)")));

  if (!have_gdb()) {
    GTEST_SKIP() << "gdb is not installed";
  }
  auto args = replay();
  args.insert(args.begin(), "--wait-for-debugger");
  const auto attached = under_gdb(args);
  EXPECT_THAT(attached.out, HasSubstr("exited normally"));
  EXPECT_THAT(attached.err, HasSubstr("a debugger is attached: going on"));
}

// With a callout host the stop happens in the host, just before it calls the
// hook: without a debugger, --break-always ends the host by SIGTRAP there,
// which the run reports as that call's crash and goes on in a new host.
TEST_F(DebuggerTest, TheCalloutHostStopsBeforeTheFlaggedCall) {
  const auto result =
      run(replay({"--host", "process", "--break-before", "NewPkt@3", "--break-always"}));
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("request 3 (frame 5 of dhclient_dnsmasq.pcap): NewPkt"));
  EXPECT_THAT(result.err, HasSubstr("killed by signal 5"));
  // Requests 1 and 2 reached the callout, request 3's NewPkt did not; the
  // new host took requests 4 and 5.
  EXPECT_EQ(calls_of("NewPkt"), 4u);
  EXPECT_EQ(calls_of("Entry"), 2u);
}

TEST_F(DebuggerTest, TheCalloutHostRunsOnWithoutADebugger) {
  const auto result = run(replay({"--host", "process", "--break-before", "NewPkt@3"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(calls_of("NewPkt"), 5u);
}

TEST_F(DebuggerTest, TheCalloutHostWaitsForTheDebugger) {
  std::string command =
      "timeout 3 '" + program_path().string() + "' --host process --wait-for-debugger";
  for (const auto& arg : replay()) {
    command += " '" + arg + "'";
  }
  const auto waited = run_program({"/bin/sh", "-c", command + "; echo status $?"},
                                  RunOptions{dir_.path(), {{"CALLOUT_RECORD", record_.string()}}});
  EXPECT_THAT(waited.out, HasSubstr("status 124"));
  EXPECT_THAT(waited.err, HasSubstr("callouthost: process "));
  EXPECT_THAT(waited.err, HasSubstr("waits for a debugger to attach (gdb -p "));
  EXPECT_THAT(waited.err,
              Not(HasSubstr("calloutemu: info: process")));  // calloutemu itself goes on
  EXPECT_EQ(calls_of("Entry"), 0u);                          // the host waits before loading
}

// The README's recipe for a PE DLL under Wine: winedbg --gdb --no-start
// attaches to the waiting Wine host and gdb, connected to it, stops in the
// host just before the third request's NewPkt.
TEST_F(DebuggerTest, WinedbgAndGdbStopInTheWineHostBeforeTheThirdNewPkt) {
  SKIP_WITHOUT_WINE();
  if (!have_gdb() || !have_program("winedbg")) {
    GTEST_SKIP() << "gdb or winedbg is not installed";
  }
  const auto session =
      run_program({"/bin/sh", std::string(CALLOUTEMU_E2E_SOURCE_DIR) + "/winedbg_session.sh",
                   program_path().string(), windows_callout_path("recorder").string(),
                   fixture_source_path("captures/real/dhclient_dnsmasq.pcap"), record_.string(),
                   dir_.path().string()},
                  RunOptions{dir_.path(), {{"CALLOUT_RECORD", record_.string()}}});
  EXPECT_THAT(session.out, HasSubstr("SIGTRAP"));
  EXPECT_THAT(session.out, HasSubstr("calloutemu::loader::stop_before_hook"));
  EXPECT_THAT(session.out, HasSubstr("calloutemu::loader::host::HostCalls::call"));
  EXPECT_THAT(session.out, HasSubstr("a debugger is attached: going on"));
  // At the break two requests had reached the callout; after gdb detached
  // the run went on to the end.
  std::size_t new_pkts_at_break = 0;
  for (const auto& record : read_json_lines(dir_ / "record.jsonl.at-break")) {
    new_pkts_at_break += record["hook"] == "NewPkt" ? 1u : 0u;
  }
  EXPECT_EQ(new_pkts_at_break, 2u) << session.out;
  EXPECT_THAT(session.out, HasSubstr("calloutemu exit 0"));
  EXPECT_EQ(calls_of("NewPkt"), 5u);
}

TEST_F(DebuggerTest, BadBreakPointsAreUsageErrors) {
  auto result = run(replay({"--break-before", "NewPacket@3"}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("'NewPacket' is not a hook"));
  result = run(replay({"--break-always"}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--break-always needs --break-before"));
}

}  // namespace
}  // namespace calloutemu::test
