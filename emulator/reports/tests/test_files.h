// Files for the reports' tests: a scratch directory, reading files back, and
// xmllint to check and query the JUnit documents.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace calloutemu::reports::test {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// nullopt when /usr/bin/xmllint (or xmllint on PATH) is not there.
std::optional<std::string> xmllint();
// `xmllint --noout FILE` succeeds.
bool xml_is_valid(const std::filesystem::path& file);
// The string value of an XPath expression, as `xmllint --xpath 'string(...)'`.
std::string xpath_string(const std::filesystem::path& file, const std::string& expression);

}  // namespace calloutemu::reports::test
