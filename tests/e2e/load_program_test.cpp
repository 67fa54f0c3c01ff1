// `calloutemu` without a capture: load the chain, START, STOP, report (issue 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "fixtures.h"
#include "json_lines.h"
#include "run_program.h"
#include "temp_dir.h"

namespace calloutemu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kParametersSection =
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters]";

// REG_MULTI_SZ bytes as regedit writes them in hex(7): UTF-16LE, NULs included.
std::string hex7(const std::vector<std::string>& names) {
  std::string text = "hex(7):";
  auto add_byte = [&](unsigned value) {
    static const char* digits = "0123456789abcdef";
    if (text.back() != ':') {
      text += ',';
    }
    text += digits[value >> 4];
    text += digits[value & 0xF];
  };
  for (const auto& name : names) {
    for (char c : name) {
      add_byte(static_cast<unsigned char>(c));
      add_byte(0);
    }
    add_byte(0);
    add_byte(0);
  }
  add_byte(0);
  add_byte(0);
  return text;
}

// A version 5.00 export, encoded as regedit writes it: UTF-16LE with a BOM.
std::string utf16le_reg_file(const std::string& ascii_text) {
  std::string bytes = "\xFF\xFE";
  for (char c : ascii_text) {
    bytes += c;
    bytes += '\0';
  }
  return bytes;
}

class LoadProgramTest : public ::testing::Test {
 protected:
  // Runs calloutemu in the test directory, with the recorder writing to record_.
  ProgramRun run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), program_path().string());
    env["CALLOUT_RECORD"] = record_.string();
    return run_program(args, RunOptions{dir_.path(), env});
  }

  void copy(const std::string& fixture, const std::string& as) {
    std::filesystem::copy_file(callout_path(fixture), dir_ / as);
  }

  std::vector<nlohmann::json> records() const { return read_json_lines(record_); }

  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::size_t start = 0;
    while (start < text.size()) {
      const auto end = text.find('\n', start);
      result.push_back(text.substr(start, end - start));
      start = end == std::string::npos ? text.size() : end + 1;
    }
    return result;
  }

  TempDir dir_;
  std::filesystem::path record_ = dir_ / "record.jsonl";
};

TEST_F(LoadProgramTest, HelpAndVersion) {
  const auto help = run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--dlls"));
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
  const auto version = run({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, ::testing::MatchesRegex("calloutemu [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(LoadProgramTest, AlphabeticalOrderPicksAlphaAndChainsTheRest) {
  copy("recorder", "zeta.so");
  copy("recorder", "Alpha.so");
  copy("recorder", "mid.so");
  const auto result = run({"--dlls", "zeta.so,Alpha.so,mid.so"});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto seen = records();
  ASSERT_EQ(hook_names(seen), (std::vector<std::string>{"Entry", "Control", "Control"}));
  for (const auto& record : seen) {
    EXPECT_EQ(record["dll"], "Alpha.so");
  }
  EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array({"mid.so", "zeta.so"}));
  EXPECT_EQ(seen[0]["CalloutVersion"], 0);
  EXPECT_EQ(seen[1]["ControlCode"], 1);  // START
  EXPECT_EQ(seen[2]["ControlCode"], 2);  // STOP

  EXPECT_THAT(result.out, HasSubstr("CalloutDlls: zeta.so, Alpha.so, mid.so (from --dlls)\n"));
  EXPECT_THAT(
      result.out,
      HasSubstr("load order: alphabetical (profile documented): Alpha.so, mid.so, zeta.so\n"));
  EXPECT_THAT(result.out, HasSubstr("loaded: Alpha.so\nChainDlls: mid.so, zeta.so\n"));
  EXPECT_THAT(result.out, HasSubstr("  DhcpNewPktHook         set\n"));
  EXPECT_THAT(result.out, HasSubstr("  DhcpExtensionHook      NULL\n"));
  EXPECT_THAT(result.out, HasSubstr("Control(START): returned 0\nControl(STOP): returned 0\n"));
}

TEST_F(LoadProgramTest, ListedOrderPicksTheFirstListed) {
  copy("recorder", "zeta.so");
  copy("recorder", "Alpha.so");
  copy("recorder", "mid.so");
  for (const auto& flag :
       std::vector<std::vector<std::string>>{{"--load-order", "listed"}, {"--profile", "legacy"}}) {
    std::filesystem::remove(record_);
    std::vector<std::string> args{"--dlls", "zeta.so,Alpha.so,mid.so"};
    args.insert(args.end(), flag.begin(), flag.end());
    const auto result = run(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto seen = records();
    ASSERT_EQ(seen.size(), 3u) << flag[0];
    EXPECT_EQ(seen[0]["dll"], "zeta.so");
    EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array({"Alpha.so", "mid.so"}));
  }
}

TEST_F(LoadProgramTest, SkipsEveryBrokenDllWithOneReasonEach) {
  copy("noexport", "noexport.so");
  copy("entryfails", "entryfails.so");
  copy("entrycrash", "entrycrash.so");
  copy("recorder", "recorder.so");
  const auto result = run({"--load-order", "listed", "--dlls",
                           "missing.so,noexport.so,entryfails.so,entrycrash.so,recorder.so"});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  std::vector<std::string> skipped;
  for (const auto& line : lines(result.err)) {
    if (line.find("skipped") != std::string::npos) {
      skipped.push_back(line);
    }
  }
  ASSERT_EQ(skipped.size(), 4u) << result.err;
  EXPECT_THAT(skipped[0], HasSubstr("skipped missing.so: load failed:"));
  EXPECT_THAT(skipped[0], HasSubstr("No such file or directory"));
  EXPECT_THAT(skipped[1], HasSubstr("skipped noexport.so: no entry point:"));
  EXPECT_THAT(skipped[2],
              HasSubstr("skipped entryfails.so: entry failed: returned 50 (0x00000032)"));
  EXPECT_THAT(skipped[3], HasSubstr("skipped entrycrash.so: entry crashed:"));
  EXPECT_THAT(skipped[3], HasSubstr("SIGSEGV"));

  const auto seen = records();
  ASSERT_EQ(hook_names(seen), (std::vector<std::string>{"Entry", "Control", "Control"}));
  EXPECT_EQ(seen[0]["dll"], "recorder.so");
  EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array());
  EXPECT_THAT(result.out, HasSubstr("loaded: recorder.so\nChainDlls: (empty)\n"));

  // The same list sorted: recorder.so still sorts last and still wins.
  std::filesystem::remove(record_);
  const auto sorted =
      run({"--dlls", "missing.so,noexport.so,entryfails.so,entrycrash.so,recorder.so"});
  EXPECT_EQ(sorted.exit_code, 0) << sorted.err;
  EXPECT_EQ(records().size(), 3u);
}

TEST_F(LoadProgramTest, QuietHidesTheSkipWarnings) {
  copy("noexport", "noexport.so");
  copy("recorder", "recorder.so");
  const auto result = run({"-q", "--dlls", "noexport.so,recorder.so"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, HasSubstr("loaded: recorder.so"));
}

TEST_F(LoadProgramTest, NothingLoadableExitsTwo) {
  copy("noexport", "noexport.so");
  copy("entryfails", "entryfails.so");
  const auto result = run({"--dlls", "missing.so,noexport.so,entryfails.so"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("no listed callout DLL could be loaded (3 tried)"));
  EXPECT_THAT(result.out, HasSubstr("loaded: none\n"));
  EXPECT_TRUE(records().empty());
}

// In-process a crash ends the callout: STOP is not sent (issue 6).
TEST_F(LoadProgramTest, ACrashInStartIsReportedWhereItHappenedAndStopIsNotSent) {
  copy("crash", "crash.so");
  const auto result = run({"--dlls", "crash.so"}, {{"CALLOUT_CRASH_HOOK", "Control"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control(START): crashed: SIGSEGV (address not mapped) at "
                                    "address 0x10 at crash.so+0x"));
  EXPECT_THAT(result.out, HasSubstr("\nControl(STOP): not sent (Control(START) in crash.so "
                                    "crashed in-process)\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("unloaded:")));
  EXPECT_THAT(result.err, HasSubstr("error: Control(START) in crash.so crashed: SIGSEGV"));
  EXPECT_THAT(result.err, HasSubstr("\n    #0 crash.so+0x"));
}

TEST_F(LoadProgramTest, AnAbortInStopExitsThree) {
  copy("crash", "crash.so");
  const auto result = run({"--dlls", "crash.so"}, {{"CALLOUT_CRASH_HOOK", "Control"},
                                                   {"CALLOUT_CRASH_CALL", "2"},
                                                   {"CALLOUT_CRASH_KIND", "abort"}});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Control(START): returned 0\nControl(STOP): crashed: SIGABRT"));
}

TEST_F(LoadProgramTest, ACrashFixtureThatDoesNotCrashExitsZero) {
  copy("crash", "crash.so");
  const auto result = run({"--dlls", "crash.so"}, {{"CALLOUT_CRASH_HOOK", "NewPkt"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(LoadProgramTest, RegFileWithCalloutEnabledZeroLoadsNothingAndSaysSo) {
  copy("recorder", "recorder.so");
  write_text_file(
      dir_ / "disabled.reg",
      utf16le_reg_file(std::string("Windows Registry Editor Version 5.00\r\n\r\n") +
                       kParametersSection + "\r\n\"CalloutDlls\"=" + hex7({"recorder.so"}) +
                       "\r\n\"CalloutEnabled\"=dword:00000000\r\n"));
  const auto result = run({"--reg-file", "disabled.reg"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("callouts: disabled (CalloutEnabled is 0 in disabled.reg)"));
  EXPECT_THAT(result.out, Not(HasSubstr("loaded:")));
  EXPECT_TRUE(records().empty());
}

TEST_F(LoadProgramTest, RegFileListsTheChain) {
  copy("recorder", "first.so");
  copy("recorder", "second.so");
  write_text_file(dir_ / "callouts.reg",
                  utf16le_reg_file(std::string("Windows Registry Editor Version 5.00\r\n\r\n") +
                                   kParametersSection +
                                   "\r\n\"CalloutDlls\"=" + hex7({"second.so", "first.so"}) +
                                   "\r\n\"CalloutEnabled\"=dword:00000001\r\n"));
  const auto result = run({"--reg-file", "callouts.reg"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto seen = records();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0]["dll"], "first.so");
  EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array({"second.so"}));
}

TEST_F(LoadProgramTest, ChainFixtureDeliversEntryStartAndStopToEveryChainedDll) {
  copy("chain", "a-chain.so");
  copy("recorder", "b-first.so");
  copy("recorder", "c-second.so");
  const auto result = run({"--dlls", "c-second.so,b-first.so,a-chain.so"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("loaded: a-chain.so\nChainDlls: b-first.so, c-second.so\n"));

  const auto seen = records();
  std::vector<std::string> calls;
  for (const auto& record : seen) {
    std::string call = record["dll"].get<std::string>() + " " + record["hook"].get<std::string>();
    if (record.contains("ControlCode")) {
      call += " " + std::to_string(record["ControlCode"].get<int>());
    }
    calls.push_back(call);
  }
  EXPECT_EQ(calls, (std::vector<std::string>{"b-first.so Entry", "c-second.so Entry",
                                             "b-first.so Control 1", "c-second.so Control 1",
                                             "b-first.so Control 2", "c-second.so Control 2"}));
}

TEST_F(LoadProgramTest, ConfigFileGivesTheOptions) {
  copy("recorder", "zeta.so");
  copy("recorder", "alpha.so");
  write_text_file(dir_ / "run.ini", "dlls = zeta.so,alpha.so\nload-order = listed\n");
  const auto result = run({"--config", "run.ini"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto seen = records();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0]["dll"], "zeta.so");
}

TEST_F(LoadProgramTest, BadInputIsOneLineNamingTheFileAndExitsOne) {
  write_text_file(dir_ / "bad.ini", "no equals sign here\n");
  write_text_file(dir_ / "bad.reg", "this is not a registry export\n");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases{
      {{"--bogus"}, "unrecognised option '--bogus'"},
      {{"--config", "absent.ini"}, "absent.ini: cannot read"},
      {{"--config", "bad.ini"}, "bad.ini"},
      {{"--reg-file", "bad.reg"}, "bad.reg"},
      {{"--reg-file", "absent.reg"}, "absent.reg"},
      {{"--dlls", "a.so,,b.so"}, "a.so,,b.so"},
      {{}, "no callout DLLs given"},
      {{"--dlls", "a.so", "--reg-file", "bad.reg"}, "give one DLL list"},
  };
  for (const auto& c : cases) {
    const auto result = run(c.args);
    EXPECT_EQ(result.exit_code, 1) << c.expected << "\n" << result.err;
    EXPECT_EQ(lines(result.err).size(), 1u) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.expected));
    EXPECT_THAT(result.err, HasSubstr("error"));
  }
}

}  // namespace
}  // namespace calloutemu::test
