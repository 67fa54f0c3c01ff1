// Checked mode (--checked, issue 6): each fault fixture's misuse becomes a
// finding naming the hook, the request and the DLL, in the trace, the
// summary and JUnit, and the run exits 3: in-process, in a native callout
// host and in callouthost.exe under Wine. The well-behaved fixtures give no
// finding and the trace they give without --checked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "replay_fixture.h"
#include "wine_fixtures.h"

namespace calloutemu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct FaultCase {
  const char* name;
  const char* callout;
  std::map<std::string, std::string> env;
  std::uint64_t request;  // the request the finding belongs to
  const char* finding;    // its text up to " in DLL"
};

void PrintTo(const FaultCase& c, std::ostream* out) {
  *out << c.name;
}

const std::vector<FaultCase> kFaultCases = {
    {"overrun_receive",
     "overrun",
     {{"CALLOUT_OVERRUN_HOOK", "NewPkt"}, {"CALLOUT_OVERRUN_CALL", "2"}},
     2,
     "NewPkt accessed byte 4096 of the 4096-byte receive buffer, past its end (buffer overrun)"},
    {"overrun_send",
     "overrun",
     {{"CALLOUT_OVERRUN_HOOK", "PktSend"}, {"CALLOUT_OVERRUN_CALL", "2"}},
     2,
     "PktSend accessed byte 4096 of the 4096-byte send buffer, past its end (buffer overrun)"},
    {"pastsize",
     "pastsize",
     {{"CALLOUT_PASTSIZE_HOOK", "HandleOptions"},
      {"CALLOUT_PASTSIZE_CALL", "2"},
      {"CALLOUT_PASTSIZE_OFFSET", "300"}},
     2,
     "HandleOptions wrote past PacketSize (301 bytes after it) in the receive buffer"},
    {"keepchain",
     "keepchain",
     {{"CALLOUT_KEEPCHAIN_HOOK", "NewPkt"}, {"CALLOUT_KEEPCHAIN_CALL", "2"}},
     2,
     "NewPkt read ChainDlls after DhcpServerCalloutEntry returned"},
    {"badreplace_null",
     "badreplace",
     {{"CALLOUT_BADREPLACE_CALL", "2"}},
     2,
     "NewPkt set *Packet to NULL; the server kept the previous buffer"},
    {"badreplace_empty",
     "badreplace",
     {{"CALLOUT_BADREPLACE_MODE", "empty"}, {"CALLOUT_BADREPLACE_HOOK", "PktDrop"}},
     1,
     "PktDrop replaced the packet with a buffer of 0 bytes; the server kept the previous buffer"},
    {"badreplace_unreadable",
     "badreplace",
     {{"CALLOUT_BADREPLACE_MODE", "unreadable"}, {"CALLOUT_BADREPLACE_HOOK", "PktSend"}},
     1,
     "PktSend replaced the packet with a buffer that faults when read"},
};

std::string case_name(const ::testing::TestParamInfo<FaultCase>& c) {
  return c.param.name;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class CheckedFaultTest : public ReplayTest, public ::testing::WithParamInterface<FaultCase> {
 protected:
  // `exact_request`: the fixture's Nth call is request N's. With worker
  // threads that holds only for NewPkt (the receive thread calls it in
  // request order); other hooks of different requests run in any order.
  void expect_finding(const std::filesystem::path& callout,
                      const std::vector<std::string>& host_args, bool exact_request = true) {
    const auto& c = GetParam();
    const auto trace = dir_ / "trace.jsonl";
    const auto junit = dir_ / "junit.xml";
    std::vector<std::string> args = {
        "--dlls",        callout.string(),
        "--pcap",        fixture_source_path("captures/generated/dora.pcap").string(),
        "--config",      fixture_source_path("captures/configs/lab.conf").string(),
        "--trace",       trace.string(),
        "--junit",       junit.string(),
        "--no-progress", "--checked"};
    args.insert(args.end(), host_args.begin(), host_args.end());
    const auto result = run(args, c.env);
    EXPECT_EQ(result.exit_code, 3) << result.err;

    const std::string dll = callout.filename().string();
    const std::string text = std::string(c.finding);
    std::vector<nlohmann::json> findings;
    for (const auto& record : read_json_lines(trace)) {
      if (record.value("record", "") == "finding") {
        findings.push_back(record);
      }
    }
    ASSERT_FALSE(findings.empty()) << result.err;
    const auto& first = findings.front();
    if (exact_request) {
      EXPECT_EQ(first.value("request", std::uint64_t{0}), c.request) << first.dump();
    } else {
      EXPECT_GE(first.value("request", std::uint64_t{0}), 1u) << first.dump();
    }
    EXPECT_THAT(first.value("text", ""), HasSubstr(text)) << first.dump();
    EXPECT_THAT(first.value("text", ""), HasSubstr(" in ")) << first.dump();
    EXPECT_THAT(first.value("text", ""), HasSubstr(dll)) << first.dump();
    const auto request = exact_request ? c.request : first.value("request", std::uint64_t{0});
    EXPECT_THAT(result.err, HasSubstr("request " + std::to_string(request) + " (frame "));
    EXPECT_THAT(result.err, HasSubstr(text));
    EXPECT_NE(report_value("\n" + result.err, "findings"), "0");
    EXPECT_THAT(read_text(junit), HasSubstr(text));
  }
};

TEST_P(CheckedFaultTest, InProcess) {
  expect_finding(callout_path(GetParam().callout), {});
}

TEST_P(CheckedFaultTest, InProcessWithWorkers) {
  bool in_new_pkt = true;
  for (const auto& [name, value] : GetParam().env) {
    if (name.ends_with("_HOOK")) {
      in_new_pkt = value == "NewPkt";
    }
  }
  expect_finding(callout_path(GetParam().callout), {"--workers", "4"}, in_new_pkt);
}

TEST_P(CheckedFaultTest, InANativeHost) {
  expect_finding(callout_path(GetParam().callout), {"--host", "process"});
}

TEST_P(CheckedFaultTest, InTheWineHost) {
  SKIP_WITHOUT_WINE();
  expect_finding(windows_callout_path(GetParam().callout), {"--host", "wine"});
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckedFaultTest, ::testing::ValuesIn(kFaultCases), case_name);

// Without --checked the same misuse is no finding of checked mode: the run
// does not fail for it.
TEST_F(ReplayTest, WithoutCheckedAPastSizeWriteFarOutIsNotCaughtPerHook) {
  const auto result =
      run({"--dlls", callout_path("pastsize").string(), "--pcap",
           fixture_source_path("captures/generated/dora.pcap").string(), "--config",
           fixture_source_path("captures/configs/lab.conf").string(), "--no-progress"},
          {{"CALLOUT_PASTSIZE_OFFSET", "300"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, ::testing::Not(HasSubstr("bytes after it")));
}

// ChainDlls read in Control(START) and Control(STOP): the finding follows
// the crash line and counts in the summary.
TEST_F(ReplayTest, ChainDllsReadInControlIsAFinding) {
  for (const char* call : {"1", "2"}) {
    const std::string label = std::string(call) == "1" ? "Control(START)" : "Control(STOP)";
    const auto result = run(
        {"--dlls", callout_path("keepchain").string(), "--pcap",
         fixture_source_path("captures/generated/dora.pcap").string(), "--config",
         fixture_source_path("captures/configs/lab.conf").string(), "--no-progress", "--checked"},
        {{"CALLOUT_KEEPCHAIN_HOOK", "Control"}, {"CALLOUT_KEEPCHAIN_CALL", call}});
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_THAT(result.out, HasSubstr(label + ": finding: " + label +
                                      " read ChainDlls after DhcpServerCalloutEntry returned in " +
                                      callout_path("keepchain").string()));
    EXPECT_EQ(report_value("\n" + result.err, "findings"), "1") << result.err;
  }
}

struct CleanCase {
  const char* name;
  const char* dlls;  // fixture names, comma-separated
  const char* capture;
  const char* config;
};

void PrintTo(const CleanCase& c, std::ostream* out) {
  *out << c.name;
}

const std::vector<CleanCase> kCleanCases = {
    {"recorder_dora", "recorder", "generated/dora.pcap", "lab.conf"},
    {"recorder_every_type", "recorder", "generated/every_type.pcap", "lab.conf"},
    {"recorder_relayed", "recorder", "generated/relayed.pcap", "lab.conf"},
    {"recorder_expiry", "recorder", "generated/expiry.pcap", "lab.conf"},
    {"recorder_invalid", "recorder", "generated/invalid.pcap", "lab.conf"},
    {"noop_every_type", "noop", "generated/every_type.pcap", "lab.conf"},
    {"macfilter_dhclient", "macfilter", "real/dhclient_dnsmasq.pcap", "dnsmasq_net.conf"},
    {"addoption_dora", "addoption", "generated/dora.pcap", "lab.conf"},
    {"chain_every_type", "chain,recorder", "generated/every_type.pcap", "lab.conf"},
};

std::string clean_name(const ::testing::TestParamInfo<CleanCase>& c) {
  return c.param.name;
}

class CheckedCleanTest : public ReplayTest, public ::testing::WithParamInterface<CleanCase> {
 protected:
  // The trace without durations, and the recorder's hook sequence.
  struct Seen {
    ProgramRun run;
    std::vector<nlohmann::json> trace;
    std::vector<std::vector<std::string>> packets;
  };
  Seen replay(bool checked, const std::vector<std::string>& host_args = {}) {
    const auto& c = GetParam();
    std::string dlls;
    std::stringstream names(c.dlls);
    for (std::string name; std::getline(names, name, ',');) {
      dlls += (dlls.empty() ? "" : ",") + callout_path(name).string();
    }
    const auto trace = dir_ / (checked ? "checked.jsonl" : "plain.jsonl");
    std::filesystem::remove(record_);
    std::vector<std::string> args = {
        "--dlls",       dlls,
        "--pcap",       fixture_source_path(std::string("captures/") + c.capture).string(),
        "--config",     fixture_source_path(std::string("captures/configs/") + c.config).string(),
        "--trace",      trace.string(),
        "--no-progress"};
    if (checked) {
      args.push_back("--checked");
    }
    args.insert(args.end(), host_args.begin(), host_args.end());
    Seen seen;
    seen.run = run(
        args, {{"CALLOUT_MACFILTER_LIST",
                write_file("macfilter.txt", "MAC_ACTION = {DENY}\n02:00:00:00:10:01\n").string()}});
    for (auto record : read_json_lines(trace)) {
      record.erase("duration_us");
      seen.trace.push_back(record);
    }
    if (std::filesystem::exists(record_)) {
      seen.packets = packets();
    }
    return seen;
  }
};

TEST_P(CheckedCleanTest, GivesNoFindingAndTheSameTrace) {
  const auto plain = replay(false);
  const auto checked = replay(true);
  ASSERT_EQ(plain.run.exit_code, 0) << plain.run.err;
  EXPECT_EQ(checked.run.exit_code, 0) << checked.run.err;
  EXPECT_EQ(report_value("\n" + checked.run.err, "findings"),
            report_value("\n" + plain.run.err, "findings"));
  ASSERT_EQ(checked.trace.size(), plain.trace.size());
  for (std::size_t i = 0; i < plain.trace.size(); ++i) {
    EXPECT_EQ(checked.trace[i], plain.trace[i]) << "trace record " << i;
  }
  EXPECT_EQ(checked.packets, plain.packets);
}

TEST_P(CheckedCleanTest, GivesNoFindingAndTheSameTraceInANativeHost) {
  const auto plain = replay(false, {"--host", "process"});
  const auto checked = replay(true, {"--host", "process"});
  ASSERT_EQ(plain.run.exit_code, 0) << plain.run.err;
  EXPECT_EQ(checked.run.exit_code, 0) << checked.run.err;
  EXPECT_EQ(report_value("\n" + checked.run.err, "findings"),
            report_value("\n" + plain.run.err, "findings"));
  EXPECT_EQ(checked.trace, plain.trace);
  EXPECT_EQ(checked.packets, plain.packets);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckedCleanTest, ::testing::ValuesIn(kCleanCases), clean_name);

}  // namespace
}  // namespace calloutemu::test
