// Where the built fixture callouts and the committed fixture files are.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace calloutemu::test {

// <build>/fixtures/callouts/<name>.so (.dll on Windows).
std::filesystem::path callout_path(const std::string& name);

// The callout file name for `name`: "recorder" -> "recorder.so".
std::string callout_file_name(const std::string& name);

// <source>/fixtures/<relative>.
std::filesystem::path fixture_source_path(const std::string& relative);

// ../shared beside the project root, when it is there.
std::optional<std::filesystem::path> shared_dir();

// The calloutemu program under test.
std::filesystem::path program_path();

}  // namespace calloutemu::test
