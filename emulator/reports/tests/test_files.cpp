#include "test_files.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace calloutemu::reports::test {
namespace {

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

ScratchDir::ScratchDir() {
  std::random_device random;
  const auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto candidate = base / ("calloutemu-reports-" + std::to_string(random()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a scratch directory in " + base.string());
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> xmllint() {
  if (std::filesystem::exists("/usr/bin/xmllint")) {
    return "/usr/bin/xmllint";
  }
  if (std::system("xmllint --version > /dev/null 2>&1") == 0) {
    return "xmllint";
  }
  return std::nullopt;
}

bool xml_is_valid(const std::filesystem::path& file) {
  const std::string command =
      *xmllint() + " --noout " + shell_quoted(file.string()) + " 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

std::string xpath_string(const std::filesystem::path& file, const std::string& expression) {
  const std::string command = *xmllint() + " --xpath " +
                              shell_quoted("string(" + expression + ")") + ' ' +
                              shell_quoted(file.string()) + " 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run " + command);
  }
  std::string output;
  std::array<char, 4096> chunk{};
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) {
    output.append(chunk.data(), read);
  }
  pclose(pipe);
  // xmllint ends the value with a newline of its own.
  if (!output.empty() && output.back() == '\n') {
    output.pop_back();
  }
  return output;
}

}  // namespace calloutemu::reports::test
