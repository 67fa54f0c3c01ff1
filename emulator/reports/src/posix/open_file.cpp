#include <cstdio>
#include <filesystem>

#include "output_file.h"

namespace calloutemu::reports::detail {

std::FILE* open_file(const std::filesystem::path& path, const char* mode) {
  return std::fopen(path.c_str(), mode);
}

}  // namespace calloutemu::reports::detail
