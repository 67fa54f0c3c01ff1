// Every example in README.md really runs: each `$ ` session in a ```sh block
// prints what the README shows, the config file example loads what the README
// says, and the two fresh-machine commands open the README.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "json_lines.h"
#include "readme_sessions.h"
#include "run_program.h"
#include "temp_dir.h"

namespace calloutemu::test::readme {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;

fs::path readme_path() {
  return CALLOUTEMU_README;
}

fs::path project_root() {
  return readme_path().parent_path();
}

// The build directory, without a trailing separator.
std::string build_dir() {
  auto dir = fs::path(CALLOUTEMU_BUILD_DIR).lexically_normal().string();
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back();
  }
  return dir;
}

std::vector<Session> readme_sessions() {
  return parse_sessions(parse_code_blocks(read_text_file(readme_path())));
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Runs the session from the project root; one failure per command that does not
// print what the README shows. Returns the number of such commands.
int check_session(const Session& session, std::string_view source_name) {
  TempDir work;
  std::string shell_err;
  const auto outcomes = run_session(session, project_root(), build_dir(), work.path(), &shell_err);
  int failures = 0;
  for (std::size_t k = 0; k < session.commands.size(); ++k) {
    if (const auto report =
            check_command(session.commands[k], build_dir(), outcomes[k], source_name)) {
      ++failures;
      ADD_FAILURE() << *report << (shell_err.empty() ? "" : "  the shell said:\n" + shell_err);
    }
  }
  return failures;
}

class ReadmeSession : public ::testing::TestWithParam<Session> {};

TEST_P(ReadmeSession, PrintsWhatTheReadmeShows) {
  // The build directory is pasted into the commands unquoted.
  ASSERT_TRUE(std::regex_match(build_dir(), std::regex("[A-Za-z0-9_./+,:@%=-]+")))
      << "build directory " << build_dir() << " has characters the shell would interpret";
  check_session(GetParam(), "README.md");
}

INSTANTIATE_TEST_SUITE_P(Readme, ReadmeSession, ::testing::ValuesIn(readme_sessions()),
                         [](const ::testing::TestParamInfo<Session>& param_info) {
                           return session_name(param_info.param);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReadmeSession);  // Readme.HasSessions says why

TEST(Readme, HasSessions) {
  ASSERT_TRUE(fs::is_regular_file(readme_path())) << readme_path();
  const auto sessions = readme_sessions();
  EXPECT_GE(sessions.size(), 2u) << "README.md has fewer `$ ` sessions than it had when this "
                                    "test was written: is the parser still finding them?";
}

TEST(Readme, OpensWithTheTwoFreshMachineCommands) {
  const auto blocks = parse_code_blocks(read_text_file(readme_path()));
  ASSERT_FALSE(blocks.empty());
  const auto& first = blocks.front();
  EXPECT_EQ(first.info, "sh");
  std::vector<std::string> commands;
  for (const auto& line : first.lines) {
    const auto comment = line.find(" #");
    const auto command = trim(line.substr(0, comment));
    if (!command.empty()) {
      commands.push_back(command);
    }
  }
  EXPECT_EQ(commands, (std::vector<std::string>{"bash scripts/fresh_machine.sh demo",
                                                "bash scripts/fresh_machine.sh test"}))
      << "README.md:" << first.first_line;

  const auto script = project_root() / "scripts" / "fresh_machine.sh";
  ASSERT_TRUE(fs::is_regular_file(script)) << script;
  const auto syntax = run_program({"/bin/bash", "-n", script.string()});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  const auto usage = run_program({"/bin/bash", script.string(), "no-such-mode"});
  EXPECT_EQ(usage.exit_code, 1);
  EXPECT_THAT(usage.err, HasSubstr("demo|test"));
}

TEST(Readme, ConfigFileExampleLoadsWhatTheReadmeSays) {
  const auto text = read_text_file(readme_path());
  const auto blocks = parse_code_blocks(text);
  const CodeBlock* ini = nullptr;
  for (const auto& block : blocks) {
    if (block.info == "ini" && !block.lines.empty() && trim(block.lines.front()) == "# run.ini") {
      ini = &block;
    }
  }
  ASSERT_NE(ini, nullptr) << "no ```ini block starting with `# run.ini` in README.md";

  // The paragraph right after the block says what the file does.
  const auto lines = split_lines(text);
  std::string paragraph;
  for (auto k = static_cast<std::size_t>(ini->first_line) + ini->lines.size(); k < lines.size();
       ++k) {
    if (trim(lines[k]).empty() && !paragraph.empty()) {
      break;
    }
    paragraph += lines[k] + " ";
  }
  std::smatch stated;
  ASSERT_TRUE(std::regex_search(paragraph, stated,
                                std::regex("`calloutemu --config run\\.ini` then loads `([^`]+)`")))
      << "README.md:" << ini->first_line + static_cast<int>(ini->lines.size()) + 1
      << ": expected \"`calloutemu --config run.ini` then loads `NAME`\" after the block, found: "
      << paragraph;
  const std::string winner = stated[1];

  TempDir dir;
  std::string file_text;
  std::map<std::string, std::string> values;
  for (const auto& line : ini->lines) {
    file_text += line + "\n";
    const auto content = trim(line.substr(0, line.find('#')));
    if (const auto eq = content.find('='); eq != std::string::npos) {
      values[trim(content.substr(0, eq))] = trim(content.substr(eq + 1));
    }
  }
  write_text_file(dir / "run.ini", file_text);
  ASSERT_TRUE(values.contains("dlls")) << file_text;
  std::vector<std::string> dlls;
  std::stringstream list(values["dlls"]);
  for (std::string name; std::getline(list, name, ',');) {
    dlls.push_back(trim(name));
    fs::copy_file(callout_path("recorder"), dir / dlls.back());
  }
  std::string joined;
  for (const auto& name : dlls) {
    joined += (joined.empty() ? "" : ", ") + name;
  }

  const auto run = run_program({program_path().string(), "--config", "run.ini"},
                               {dir.path(), {{"CALLOUT_RECORD", (dir / "record.jsonl").string()}}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto out = split_lines(run.out);
  EXPECT_THAT(out, Contains("loaded: " + winner)) << run.out;
  // "the legacy profile keeps the listed order"
  EXPECT_THAT(out, Contains("load order: listed (profile legacy): " + joined)) << run.out;
  EXPECT_EQ(run.err, "") << "log-level = warning: nothing to warn about";
  const auto records = read_json_lines(dir / "record.jsonl");
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.front().value("dll", ""), winner);
  EXPECT_EQ(records.front().value("hook", ""), "Entry");
}

// The sessions test can fail: a scratch copy of README.md with one expected
// stdout line (and one stderr line) edited fails on exactly those commands.
TEST(Readme, EditedExpectedLineInAScratchCopyFails) {
  const auto text = read_text_file(readme_path());
  auto lines = split_lines(text);
  std::vector<int> edited;  // README line numbers
  int session_index = 0;
  for (const auto& session : readme_sessions()) {
    std::optional<int> out_line;
    std::optional<int> err_line;
    for (const auto& command : session.commands) {
      const bool merged = command.text.find("2>&1") != std::string::npos;
      for (std::size_t k = 0; k < command.expected.size(); ++k) {
        const auto& line = command.expected[k];
        const int number = command.line + 1 + static_cast<int>(k);
        if (line == "...") {
          continue;
        }
        if (line.starts_with("calloutemu: ") && !merged) {
          err_line = err_line.value_or(number);
        } else if (!line.starts_with("calloutemu: ")) {
          out_line = out_line.value_or(number);
        }
      }
    }
    if (out_line) {
      session_index = session.index;
      edited.push_back(*out_line);
      if (err_line) {
        edited.push_back(*err_line);
      }
      break;
    }
  }
  ASSERT_NE(session_index, 0) << "no session with an expected stdout line to edit";

  TempDir scratch;
  std::string copy;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const bool edit =
        std::find(edited.begin(), edited.end(), static_cast<int>(k) + 1) != edited.end();
    copy += lines[k] + (edit ? " (edited)" : "") + "\n";
  }
  write_text_file(scratch / "README.md", copy);
  const auto sessions = parse_sessions(parse_code_blocks(read_text_file(scratch / "README.md")));
  ASSERT_GE(sessions.size(), static_cast<std::size_t>(session_index));
  const auto& session = sessions[static_cast<std::size_t>(session_index) - 1];

  TempDir work;
  const auto outcomes = run_session(session, project_root(), build_dir(), work.path());
  std::size_t failed = 0;
  for (std::size_t k = 0; k < session.commands.size(); ++k) {
    const auto& command = session.commands[k];
    const auto first = command.line + 1;
    const auto last = command.line + static_cast<int>(command.expected.size());
    const bool has_edit = std::any_of(edited.begin(), edited.end(),
                                      [&](int line) { return line >= first && line <= last; });
    const auto report = check_command(command, build_dir(), outcomes[k], "scratch README.md");
    if (has_edit) {
      ++failed;
      ASSERT_TRUE(report.has_value())
          << "an edited expected line went unnoticed: $ " << command.text;
      EXPECT_THAT(*report, HasSubstr(" (edited)\n"));
      EXPECT_THAT(*report, HasSubstr("scratch README.md:" + std::to_string(command.line) + ": $ "));
    } else {
      EXPECT_EQ(report, std::nullopt) << "an unedited command failed";
    }
  }
  EXPECT_GE(failed, 1u);
}

}  // namespace
}  // namespace calloutemu::test::readme
