#include "host_platform.h"

#include <system_error>

namespace calloutemu::emulator {

std::optional<std::filesystem::path> own_directory() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || self.empty()) {
    return std::nullopt;
  }
  return self.parent_path();
}

bool loads_windows_dlls() {
  return false;
}

}  // namespace calloutemu::emulator
