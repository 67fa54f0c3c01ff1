// run_program on Windows (CreateProcessW): what the end-to-end tests of a
// Windows build rely on. cmd.exe is the child: Windows and Wine both have it.
#include "run_program.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "environment.h"
#include "scoped_env.h"
#include "temp_dir.h"

namespace calloutemu::test {
namespace {

std::string cmd() {
  return get_env("ComSpec").value_or("C:\\windows\\system32\\cmd.exe");
}

TEST(RunProgramTest, CapturesStdoutStderrAndTheExitCode) {
  const auto run = run_program({cmd(), "/c", "echo out& echo err 1>&2& exit 3"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "out\r\n");
  EXPECT_EQ(run.err, "err \r\n");
}

TEST(RunProgramTest, AddsTheGivenEnvironmentToTheInheritedOne) {
  ScopedEnv inherited("CALLOUTEMU_INHERITED", "kept");
  RunOptions options;
  options.env["CALLOUTEMU_ADDED"] = "a b";
  const auto run =
      run_program({cmd(), "/c", "echo %CALLOUTEMU_ADDED%/%CALLOUTEMU_INHERITED%"}, options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "a b/kept\r\n");
}

TEST(RunProgramTest, RunsInTheGivenDirectory) {
  TempDir dir;
  RunOptions options;
  options.cwd = dir.path();
  const auto run = run_program({cmd(), "/c", "cd"}, options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(std::filesystem::path(run.out.substr(0, run.out.find('\r'))),
            std::filesystem::canonical(dir.path()));
}

TEST(RunProgramTest, QuotesArgumentsSoTheChildSeesThemAsGiven) {
  // cmd's own parsing differs from the C runtime's: it echoes the quoted
  // text as the command line holds it.
  const auto run = run_program({cmd(), "/c", "echo", "two words", "quote\"inside", "tail\\"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "\"two words\" \"quote\\\"inside\" tail\\\r\n");
}

TEST(RunProgramTest, AProgramThatCannotStartGives127AndTheReason) {
  TempDir dir;
  const auto run = run_program({(dir / "missing.exe").string()});
  EXPECT_EQ(run.exit_code, 127);
  EXPECT_NE(run.err.find("cannot run"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace calloutemu::test
