// Runs tshark over a capture file, for the tests that check what Wireshark
// makes of our files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace calloutemu::responses::testing {

std::optional<std::filesystem::path> find_tshark();

struct TsharkOutput {
  int exit_code = -1;
  std::vector<std::string> lines;  // stdout
  std::string err;
};

// tshark -r FILE ARGS..., with HOME in `home` so no profile of the user's applies.
TsharkOutput run_tshark(const std::filesystem::path& tshark, const std::filesystem::path& file,
                        const std::vector<std::string>& args, const std::filesystem::path& home);

}  // namespace calloutemu::responses::testing
