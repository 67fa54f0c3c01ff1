#include <cstdio>
#include <filesystem>
#include <string>

#include "output_file.h"

namespace calloutemu::reports::detail {

// Paths are UTF-16 on Windows; std::fopen would take them in the ANSI code page.
std::FILE* open_file(const std::filesystem::path& path, const char* mode) {
  std::wstring wide_mode;
  for (const char* c = mode; *c != '\0'; ++c) {
    wide_mode.push_back(static_cast<wchar_t>(*c));
  }
  return _wfopen(path.c_str(), wide_mode.c_str());
}

}  // namespace calloutemu::reports::detail
