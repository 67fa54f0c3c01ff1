// Runs a program to completion and captures what it printed.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace calloutemu::test {

struct ProgramRun {
  // The exit status, or 128 + the signal that ended it; on Windows the exit
  // code (for an exception that ended it, its code: 0xC0000005 and such).
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::filesystem::path cwd;               // empty: the current directory
  std::map<std::string, std::string> env;  // set on top of the inherited environment
};

// args[0] is the program. Never throws for a program that fails; a program
// that cannot be started gives exit code 127 and the reason in `err`.
ProgramRun run_program(const std::vector<std::string>& args, const RunOptions& options = {});

}  // namespace calloutemu::test
