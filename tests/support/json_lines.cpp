#include "json_lines.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace calloutemu::test {

std::vector<nlohmann::json> read_json_lines(const std::filesystem::path& path) {
  std::vector<nlohmann::json> records;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) {
      continue;
    }
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      ADD_FAILURE() << path << ":" << number << ": not JSON: " << line;
      continue;
    }
    records.push_back(std::move(parsed));
  }
  return records;
}

std::vector<std::string> hook_names(const std::vector<nlohmann::json>& records) {
  std::vector<std::string> names;
  for (const auto& record : records) {
    names.push_back(record.value("hook", std::string("<no hook>")));
  }
  return names;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace calloutemu::test
