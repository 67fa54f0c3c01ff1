#include "fixtures.h"

namespace calloutemu::test {

std::string callout_file_name(const std::string& name) {
  return name + CALLOUTEMU_CALLOUT_SUFFIX;
}

std::filesystem::path callout_path(const std::string& name) {
  return std::filesystem::path(CALLOUTEMU_FIXTURE_BUILD_DIR) / callout_file_name(name);
}

std::filesystem::path fixture_source_path(const std::string& relative) {
  return std::filesystem::path(CALLOUTEMU_FIXTURE_SOURCE_DIR) / relative;
}

std::optional<std::filesystem::path> shared_dir() {
  std::filesystem::path dir(CALLOUTEMU_SHARED_DIR);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return std::nullopt;
  }
  return std::filesystem::canonical(dir, ec);
}

std::filesystem::path program_path() {
  return CALLOUTEMU_PROGRAM;
}

}  // namespace calloutemu::test
