#include "tshark.h"

#include <sstream>

#include "run_program.h"

namespace calloutemu::responses::testing {

std::optional<std::filesystem::path> find_tshark() {
  for (const char* path : {"/usr/bin/tshark", "/usr/local/bin/tshark"}) {
    if (std::filesystem::exists(path)) {
      return path;
    }
  }
  return std::nullopt;
}

TsharkOutput run_tshark(const std::filesystem::path& tshark, const std::filesystem::path& file,
                        const std::vector<std::string>& args, const std::filesystem::path& home) {
  std::vector<std::string> command = {tshark.string(), "-r", file.string()};
  command.insert(command.end(), args.begin(), args.end());
  const auto run = test::run_program(command, {.cwd = home, .env = {{"HOME", home.string()}}});
  TsharkOutput output;
  output.exit_code = run.exit_code;
  output.err = run.err;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) {
    output.lines.push_back(line);
  }
  return output;
}

}  // namespace calloutemu::responses::testing
