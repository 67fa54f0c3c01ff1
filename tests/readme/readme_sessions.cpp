#include "readme_sessions.h"

#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "json_lines.h"
#include "run_program.h"

namespace calloutemu::test::readme {
namespace {

constexpr std::string_view kPrompt = "$ ";
constexpr std::string_view kEllipsis = "...";
constexpr std::string_view kLogPrefix = "calloutemu: ";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// Characters that continue a word: `build/` after one of them is not a path start.
bool continues_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '/' ||
         c == '-' || c == '$' || c == '}' || c == ')';
}

std::string single_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::filesystem::path find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) {
      return candidate;
    }
  }
  return {};
}

void print_lines(std::ostringstream& report, std::string_view title,
                 const std::vector<std::string>& lines) {
  report << "  " << title << ":";
  if (lines.empty()) {
    report << " (nothing)\n";
    return;
  }
  report << '\n';
  for (const auto& line : lines) {
    report << "    | " << line << '\n';
  }
}

// Where `actual` first departs from `patterns`, looking no further than the
// first `...`; empty when that part matches.
std::string first_difference(std::string_view stream, const std::vector<std::string>& patterns,
                             const std::vector<std::string>& actual) {
  for (std::size_t k = 0; k < patterns.size() || k < actual.size(); ++k) {
    if (k < patterns.size() && patterns[k] == kEllipsis) {
      return {};
    }
    if (k < patterns.size() && k < actual.size() &&
        mask_pointers(patterns[k]) == mask_pointers(actual[k])) {
      continue;
    }
    std::ostringstream hint;
    hint << "  first difference, " << stream << " line " << k + 1 << ": expected "
         << (k < patterns.size() ? "\"" + patterns[k] + "\"" : "nothing more") << ", got "
         << (k < actual.size() ? "\"" + actual[k] + "\"" : "nothing more") << "\n";
    return hint.str();
  }
  return {};
}

}  // namespace

std::vector<CodeBlock> parse_code_blocks(std::string_view markdown) {
  std::vector<CodeBlock> blocks;
  std::optional<CodeBlock> open;
  int number = 0;
  for (const auto& line : split_lines(markdown)) {
    ++number;
    const std::string text = line.ends_with('\r') ? line.substr(0, line.size() - 1) : line;
    if (!open) {
      if (starts_with(text, "```")) {
        open = CodeBlock{trim(std::string_view(text).substr(3)), number + 1, {}};
      }
    } else if (trim(text) == "```") {
      blocks.push_back(std::move(*open));
      open.reset();
    } else {
      open->lines.push_back(text);
    }
  }
  if (open) {
    blocks.push_back(std::move(*open));  // unterminated: keep what is there
  }
  return blocks;
}

std::vector<Session> parse_sessions(const std::vector<CodeBlock>& blocks) {
  std::vector<Session> sessions;
  for (const auto& block : blocks) {
    if (block.info != "sh" || block.lines.empty() || !starts_with(block.lines.front(), kPrompt)) {
      continue;
    }
    Session session;
    session.index = static_cast<int>(sessions.size()) + 1;
    for (std::size_t k = 0; k < block.lines.size(); ++k) {
      const auto& line = block.lines[k];
      if (starts_with(line, kPrompt)) {
        session.commands.push_back(
            Command{block.first_line + static_cast<int>(k), line.substr(kPrompt.size()), {}});
      } else {
        session.commands.back().expected.push_back(line);
      }
    }
    sessions.push_back(std::move(session));
  }
  return sessions;
}

std::string session_name(const Session& session) {
  std::string name = "session" + std::to_string(session.index);
  if (session.commands.empty()) {
    return name;
  }
  std::string words;
  for (char c : session.commands.front().text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      words += c;
    } else if (!words.empty() && words.back() != '_') {
      words += '_';
    }
    if (words.size() >= 40) {
      break;
    }
  }
  while (!words.empty() && words.back() == '_') {
    words.pop_back();
  }
  return words.empty() ? name : name + "_" + words;
}

void PrintTo(const Session& session, std::ostream* os) {
  *os << "README session " << session.index;
  if (!session.commands.empty()) {
    *os << " (line " << session.commands.front().line << ": $ " << session.commands.front().text
        << ")";
  }
}

std::string rewrite_build_paths(std::string_view text, const std::string& build_dir) {
  constexpr std::string_view kPwdBuild = "$PWD/build/";
  constexpr std::string_view kBracedPwdBuild = "${PWD}/build/";
  constexpr std::string_view kBuild = "build/";
  std::string rewritten;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto rest = text.substr(i);
    if (starts_with(rest, kPwdBuild) || starts_with(rest, kBracedPwdBuild)) {
      rewritten += build_dir + "/";
      i += starts_with(rest, kPwdBuild) ? kPwdBuild.size() : kBracedPwdBuild.size();
    } else if (starts_with(rest, kBuild) && (i == 0 || !continues_word(text[i - 1]))) {
      rewritten += build_dir + "/";
      i += kBuild.size();
    } else {
      rewritten += text[i++];
    }
  }
  return rewritten;
}

std::string mask_pointers(std::string_view line) {
  static const std::regex pointer("0x[0-9a-fA-F]{6,}");
  return std::regex_replace(std::string(line), pointer, "0x<ptr>");
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool lines_match(const std::vector<std::string>& patterns, const std::vector<std::string>& actual) {
  const std::size_t rows = patterns.size();
  const std::size_t cols = actual.size();
  // matches[i * (cols + 1) + j]: patterns[i..] matches actual[j..].
  std::vector<char> matches((rows + 1) * (cols + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> char& { return matches[i * (cols + 1) + j]; };
  at(rows, cols) = 1;
  for (std::size_t i = rows; i-- > 0;) {
    const bool any = patterns[i] == kEllipsis;
    const std::string pattern = any ? std::string() : mask_pointers(patterns[i]);
    for (std::size_t j = cols + 1; j-- > 0;) {
      if (any) {
        at(i, j) = static_cast<char>(at(i + 1, j) != 0 || (j < cols && at(i, j + 1) != 0));
      } else {
        at(i, j) = static_cast<char>(j < cols && at(i + 1, j + 1) != 0 &&
                                     pattern == mask_pointers(actual[j]));
      }
    }
  }
  return at(0, 0) != 0;
}

StreamExpectations split_expected(const std::vector<std::string>& expected, bool merged) {
  StreamExpectations streams;
  std::size_t pending = 0;  // `...` lines waiting for the line that follows them
  for (const auto& line : expected) {
    if (line == kEllipsis) {
      ++pending;
      continue;
    }
    auto& stream = !merged && starts_with(line, kLogPrefix) ? streams.err : streams.out;
    stream.insert(stream.end(), pending, std::string(kEllipsis));
    pending = 0;
    stream.push_back(line);
  }
  streams.out.insert(streams.out.end(), pending, std::string(kEllipsis));
  return streams;
}

std::optional<std::string> check_command(const Command& command, const std::string& build_dir,
                                         const CommandOutcome& outcome,
                                         std::string_view source_name) {
  const std::string run_as = rewrite_build_paths(command.text, build_dir);
  const bool merged = command.text.find("2>&1") != std::string::npos;
  std::vector<std::string> expected;
  for (const auto& line : command.expected) {
    expected.push_back(rewrite_build_paths(line, build_dir));
  }
  const auto streams = split_expected(expected, merged);
  const auto out = split_lines(outcome.out);
  const auto err = split_lines(outcome.err);
  if (outcome.ran && lines_match(streams.out, out) && lines_match(streams.err, err)) {
    return std::nullopt;
  }
  std::ostringstream report;
  report << source_name << ":" << command.line << ": $ " << command.text << "\n";
  if (run_as != command.text) {
    report << "  run as: " << run_as << "\n";
  }
  if (!outcome.ran) {
    report << "  has no result: the session's shell ended before this command finished\n";
  } else {
    report << "  does not print what the README shows"
           << (merged ? " (2>&1: every expected line is matched against stdout)" : "") << "\n";
  }
  print_lines(report, "expected stdout", streams.out);
  if (!merged) {
    print_lines(report, "expected stderr", streams.err);
  }
  if (outcome.ran) {
    print_lines(report, "actual stdout", out);
    print_lines(report, "actual stderr", err);
    report << "  exit status: " << outcome.status << "\n";
    report << first_difference("stdout", streams.out, out)
           << first_difference("stderr", streams.err, err);
  }
  return report.str();
}

std::string session_script(const Session& session, const std::string& build_dir,
                           const std::filesystem::path& results_dir) {
  std::ostringstream script;
  // A README reader's shell has none of the fixtures' variables set.
  script << "for __readme_v in $(compgen -e); do\n"
            "  case $__readme_v in CALLOUT_*) unset \"$__readme_v\" ;; esac\n"
            "done\n"
            "unset __readme_v\n"
            "__readme_return() { return \"$1\"; }\n";
  for (std::size_t k = 0; k < session.commands.size(); ++k) {
    const std::string file = single_quoted((results_dir / std::to_string(k + 1)).string());
    // The command on lines of its own, so a trailing comment cannot swallow the `}`.
    script << "{\n"
           << rewrite_build_paths(session.commands[k].text, build_dir) << "\n"
           << "} >" << file << ".out 2>" << file << ".err\n"
           << "__readme_status=$?\n"
           << "echo \"$__readme_status\" >" << file << ".status\n"
           << "__readme_return \"$__readme_status\"\n";  // $? as the command left it
  }
  return script.str();
}

std::vector<CommandOutcome> run_session(const Session& session, const std::filesystem::path& cwd,
                                        const std::string& build_dir,
                                        const std::filesystem::path& work_dir,
                                        std::string* shell_err) {
  const auto results_dir = work_dir / "results";
  const auto tmp_dir = work_dir / "tmp";
  std::filesystem::create_directories(results_dir);
  std::filesystem::create_directories(tmp_dir);
  const auto script_path = work_dir / "session.sh";
  write_text_file(script_path, session_script(session, build_dir, results_dir));

  std::vector<std::string> args;
  if (const auto timeout = find_program("timeout"); !timeout.empty()) {
    args = {timeout.string(), "--kill-after=10", "300"};
  }
  const auto bash = find_program("bash");
  args.push_back(bash.empty() ? "/bin/bash" : bash.string());
  args.push_back(script_path.string());
  RunOptions options;
  options.cwd = cwd;
  options.env = {{"TMPDIR", tmp_dir.string()}, {"LC_ALL", "C"}, {"BASH_ENV", ""}};
  const auto shell = run_program(args, options);
  if (shell_err != nullptr) {
    *shell_err = shell.err;
  }

  std::vector<CommandOutcome> outcomes;
  for (std::size_t k = 0; k < session.commands.size(); ++k) {
    const auto file = results_dir / std::to_string(k + 1);
    CommandOutcome outcome;
    const auto status_path = std::filesystem::path(file.string() + ".status");
    std::error_code ec;
    if (std::filesystem::exists(status_path, ec)) {
      outcome.ran = true;
      outcome.status = std::atoi(read_text_file(status_path).c_str());
      outcome.out = read_text_file(file.string() + ".out");
      outcome.err = read_text_file(file.string() + ".err");
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace calloutemu::test::readme
