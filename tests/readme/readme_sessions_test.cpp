// The README session parser, path rewriting and output matcher on small inline
// samples, so that a README test that passes has been shown able to fail.
#include "readme_sessions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "temp_dir.h"

namespace calloutemu::test::readme {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Lines = std::vector<std::string>;

constexpr const char* kSample =
    "# title\n"
    "\n"
    "```sh\n"
    "plain command   # not a session\n"
    "```\n"
    "\n"
    "```sh\n"
    "$ echo one; echo two >&2\n"
    "one\n"
    "calloutemu: two\n"
    "$ x=3\n"
    "$ echo $x\n"
    "3\n"
    "```\n"
    "\n"
    "```ini\n"
    "$ not = a session\n"
    "```\n"
    "```\n"
    "calloutemu: warning: skipped NAME: OUTCOME: REASON\n"
    "```\n";

TEST(ReadmeParser, FindsBlocksWithInfoAndLineNumbers) {
  const auto blocks = parse_code_blocks(kSample);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].info, "sh");
  EXPECT_EQ(blocks[0].first_line, 4);
  EXPECT_THAT(blocks[0].lines, ElementsAre("plain command   # not a session"));
  EXPECT_EQ(blocks[1].first_line, 8);
  EXPECT_EQ(blocks[2].info, "ini");
  EXPECT_EQ(blocks[3].info, "");
}

TEST(ReadmeParser, OnlyShBlocksStartingWithAPromptAreSessions) {
  const auto sessions = parse_sessions(parse_code_blocks(kSample));
  ASSERT_EQ(sessions.size(), 1u);
  const auto& commands = sessions[0].commands;
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_EQ(commands[0].line, 8);
  EXPECT_EQ(commands[0].text, "echo one; echo two >&2");
  EXPECT_THAT(commands[0].expected, ElementsAre("one", "calloutemu: two"));
  EXPECT_EQ(commands[1].text, "x=3");
  EXPECT_THAT(commands[1].expected, ElementsAre());
  EXPECT_EQ(commands[2].line, 12);
  EXPECT_THAT(commands[2].expected, ElementsAre("3"));
  EXPECT_EQ(session_name(sessions[0]), "session1_echo_one_echo_two_2");
}

TEST(ReadmeRewrite, BuildAtAWordStartAndPwdBuildPointAtTheBuildDirectory) {
  const std::string dir = "/b/build-asan";
  EXPECT_EQ(rewrite_build_paths("build/emulator/calloutemu --dlls build/x.so", dir),
            "/b/build-asan/emulator/calloutemu --dlls /b/build-asan/x.so");
  EXPECT_EQ(rewrite_build_paths("emu=$PWD/build/emulator/calloutemu", dir),
            "emu=/b/build-asan/emulator/calloutemu");
  EXPECT_EQ(rewrite_build_paths("--dlls=build/a.so,\"build/b.so\"", dir),
            "--dlls=/b/build-asan/a.so,\"/b/build-asan/b.so\"");
  EXPECT_EQ(rewrite_build_paths("x/build/y mybuild/z $HOME/build/ build", dir),
            "x/build/y mybuild/z $HOME/build/ build");
}

TEST(ReadmeMatcher, ExactLinesInOrderAndNothingElse) {
  EXPECT_TRUE(lines_match({"a", "b"}, {"a", "b"}));
  EXPECT_FALSE(lines_match({"a", "b"}, {"b", "a"}));
  EXPECT_FALSE(lines_match({"a", "b"}, {"a", "b", "c"}));
  EXPECT_FALSE(lines_match({"a", "b", "c"}, {"a", "b"}));
  EXPECT_FALSE(lines_match({"a"}, {"a "}));
  EXPECT_TRUE(lines_match({}, {}));
  EXPECT_FALSE(lines_match({}, {""}));
}

TEST(ReadmeMatcher, EllipsisMatchesAnyNumberOfLines) {
  EXPECT_TRUE(lines_match({"a", "...", "z"}, {"a", "z"}));
  EXPECT_TRUE(lines_match({"a", "...", "z"}, {"a", "b", "c", "z"}));
  EXPECT_TRUE(lines_match({"..."}, {}));
  EXPECT_TRUE(lines_match({"...", "z"}, {"x", "z", "z"}));
  EXPECT_FALSE(lines_match({"a", "...", "z"}, {"a", "b"}));
  EXPECT_FALSE(lines_match({"...", "z"}, {"z", "y"}));
}

TEST(ReadmeMatcher, PointersAreWildcardsOnBothSides) {
  EXPECT_TRUE(
      lines_match({R"({"CalloutTbl":"0x7ffc6f0e4a40"})"}, {R"({"CalloutTbl":"0x5581aa"})"}));
  EXPECT_TRUE(lines_match({"returned 0 (0x00000000)"}, {"returned 0 (0x00000032)"}));
  // Fewer than six hex digits is not a pointer: an address like 0x10 is exact.
  EXPECT_FALSE(lines_match({"at address 0x10"}, {"at address 0x18"}));
  EXPECT_FALSE(lines_match({"tbl 0x7ffc6f0e4a40 x"}, {"tbl 0x7ffc6f0e4a40 y"}));
  EXPECT_EQ(mask_pointers("a 0xdeadBEEF01 b 0x12345 c"), "a 0x<ptr> b 0x12345 c");
}

TEST(ReadmeMatcher, LogLinesAreStderrUnlessMerged) {
  const Lines expected = {"out1", "calloutemu: info: x", "...", "calloutemu: error: y", "out2",
                          "..."};
  const auto split = split_expected(expected, false);
  EXPECT_THAT(split.out, ElementsAre("out1", "out2", "..."));
  EXPECT_THAT(split.err, ElementsAre("calloutemu: info: x", "...", "calloutemu: error: y"));
  const auto merged = split_expected(expected, true);
  EXPECT_EQ(merged.out, expected);
  EXPECT_THAT(merged.err, ElementsAre());
}

TEST(ReadmeMatcher, CheckCommandReportsCommandExpectedAndActual) {
  const Command command{
      42, "build/emulator/calloutemu -q", {"loaded: a.so", "calloutemu: info: hi"}};
  CommandOutcome outcome{true, 0, "loaded: a.so\n", "calloutemu: info: hi\n"};
  EXPECT_EQ(check_command(command, "/b", outcome), std::nullopt);

  outcome.out = "loaded: b.so\n";
  const auto report = check_command(command, "/b", outcome);
  ASSERT_TRUE(report.has_value());
  EXPECT_THAT(*report, HasSubstr("README.md:42: $ build/emulator/calloutemu -q"));
  EXPECT_THAT(*report, HasSubstr("run as: /b/emulator/calloutemu -q"));
  EXPECT_THAT(*report, HasSubstr("expected stdout:\n    | loaded: a.so\n"));
  EXPECT_THAT(*report, HasSubstr("actual stdout:\n    | loaded: b.so\n"));
  EXPECT_THAT(*report, HasSubstr("exit status: 0"));
  EXPECT_THAT(*report, HasSubstr("first difference, stdout line 1: expected \"loaded: a.so\", "
                                 "got \"loaded: b.so\""));

  // The log line on stdout instead of stderr is a mismatch too.
  outcome = {true, 0, "loaded: a.so\ncalloutemu: info: hi\n", ""};
  EXPECT_TRUE(check_command(command, "/b", outcome).has_value());
  EXPECT_TRUE(check_command(command, "/b", CommandOutcome{}).has_value());
}

TEST(ReadmeMatcher, MergedCommandMatchesEverythingOnStdout) {
  const Command command{1, "prog 2>&1 | grep x", {"calloutemu: warning: w", "x"}};
  EXPECT_EQ(check_command(command, "/b", {true, 0, "calloutemu: warning: w\nx\n", ""}),
            std::nullopt);
  EXPECT_TRUE(
      check_command(command, "/b", {true, 0, "x\ncalloutemu: warning: w\n", ""}).has_value());
  EXPECT_TRUE(
      check_command(command, "/b", {true, 0, "x\n", "calloutemu: warning: w\n"}).has_value());
}

TEST(ReadmeRunner, OneShellPerSessionWithEachCommandCapturedApart) {
  const auto sessions =
      parse_sessions(parse_code_blocks("```sh\n"
                                       "$ cd \"$(mktemp -d)\"; x=5\n"
                                       "$ echo \"$x\"; echo log >&2  # a comment\n"
                                       "$ false | true; (exit 4)\n"
                                       "$ echo \"status $?\" 2>&1; echo e >&2\n"
                                       "$ echo \"$PWD\" | grep -c \"^$TMPDIR\"\n"
                                       "```\n"));
  ASSERT_EQ(sessions.size(), 1u);
  TempDir work;
  std::string shell_err;
  const auto outcomes = run_session(sessions[0], "/", "/b", work.path(), &shell_err);
  EXPECT_EQ(shell_err, "");
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_TRUE(outcomes[0].ran);
  EXPECT_EQ(outcomes[1].out, "5\n");
  EXPECT_EQ(outcomes[1].err, "log\n");
  EXPECT_EQ(outcomes[2].status, 4);
  EXPECT_EQ(outcomes[3].out, "status 4\n");
  EXPECT_EQ(outcomes[3].err, "e\n");
  EXPECT_EQ(outcomes[4].out, "1\n");  // mktemp -d made its directory under the work dir
}

TEST(ReadmeRunner, CommandsAfterTheShellStoppedAreReportedAsNotRun) {
  const auto sessions =
      parse_sessions(parse_code_blocks("```sh\n$ exit 3\n$ echo after\nafter\n```\n"));
  TempDir work;
  const auto outcomes = run_session(sessions.at(0), "/", "/b", work.path());
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0].ran);
  EXPECT_FALSE(outcomes[1].ran);
  const auto report = check_command(sessions[0].commands[1], "/b", outcomes[1]);
  ASSERT_TRUE(report.has_value());
  EXPECT_THAT(*report, HasSubstr("has no result"));
}

}  // namespace
}  // namespace calloutemu::test::readme
