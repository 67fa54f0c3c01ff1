// Reads JSON Lines files such as the recorder fixture's record.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace calloutemu::test {

// Every non-empty line parsed; a line that is not JSON fails the calling test
// (ADD_FAILURE) and is skipped. A missing file gives an empty list.
std::vector<nlohmann::json> read_json_lines(const std::filesystem::path& path);

// The "hook" member of each record, in order: the sequence a callout saw.
std::vector<std::string> hook_names(const std::vector<nlohmann::json>& records);

std::string read_text_file(const std::filesystem::path& path);
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace calloutemu::test
