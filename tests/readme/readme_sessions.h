// README.md's examples as data: fenced code blocks, the `$ ` sessions in them,
// running a session in one bash process, and matching what it printed.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace calloutemu::test::readme {

// One fenced block (```info ... ```): its lines without the fences.
struct CodeBlock {
  std::string info;    // "sh", "ini", "c", or empty
  int first_line = 0;  // 1-based line number of the first line inside the fences
  std::vector<std::string> lines;
};

std::vector<CodeBlock> parse_code_blocks(std::string_view markdown);

// A `$ command` line and the lines after it, up to the next `$ ` line.
struct Command {
  int line = 0;      // 1-based line of the `$ ` line; expected[k] is on line + 1 + k
  std::string text;  // without the `$ `
  std::vector<std::string> expected;
};

// A ```sh block whose first line begins with `$ `.
struct Session {
  int index = 0;  // 1-based, among the sessions of the file
  std::vector<Command> commands;
};

std::vector<Session> parse_sessions(const std::vector<CodeBlock>& blocks);

// A name gtest accepts: "session2_emu_PWD_build_emulator_calloutemu".
std::string session_name(const Session& session);

void PrintTo(const Session& session, std::ostream* os);

// `build/` at the start of a word and `$PWD/build/` become `<build_dir>/`, so
// a README written against build/ runs against any build directory.
std::string rewrite_build_paths(std::string_view text, const std::string& build_dir);

// 0x followed by 6 or more hex digits (a pointer) becomes "0x<ptr>".
std::string mask_pointers(std::string_view line);

// Lines of program output; a final newline does not start another line.
std::vector<std::string> split_lines(std::string_view text);

// `patterns` against `actual`, in order, whole: a pattern line `...` matches
// any number of lines, pointers match any pointer, the rest matches exactly.
bool lines_match(const std::vector<std::string>& patterns, const std::vector<std::string>& actual);

// Expected lines split by stream: `calloutemu: ` lines are stderr, the rest
// stdout; with `merged` (the command has 2>&1) everything is stdout. A `...`
// goes with the line that follows it, or stdout at the end.
struct StreamExpectations {
  std::vector<std::string> out;
  std::vector<std::string> err;
};
StreamExpectations split_expected(const std::vector<std::string>& expected, bool merged);

// What one command of a session did; ran is false when bash stopped before it.
struct CommandOutcome {
  bool ran = false;
  int status = -1;
  std::string out;
  std::string err;
};

// The command (as run, build paths rewritten) against its expected lines
// (rewritten the same way). nullopt when it matches, else a report showing the
// command, what was expected and what it printed.
std::optional<std::string> check_command(const Command& command, const std::string& build_dir,
                                         const CommandOutcome& outcome,
                                         std::string_view source_name = "README.md");

// The bash script that runs the session's commands in order in one process,
// each with its stdout, stderr and status in <results_dir>/<k>.out, .err, .status.
std::string session_script(const Session& session, const std::string& build_dir,
                           const std::filesystem::path& results_dir);

// Runs the session with bash in `cwd`, scratch files (and $TMPDIR) in work_dir.
// One outcome per command; `shell_err` receives what bash itself printed.
std::vector<CommandOutcome> run_session(const Session& session, const std::filesystem::path& cwd,
                                        const std::string& build_dir,
                                        const std::filesystem::path& work_dir,
                                        std::string* shell_err = nullptr);

}  // namespace calloutemu::test::readme
