#include "host_platform.h"

#include <windows.h>

#include <vector>

namespace calloutemu::emulator {

std::optional<std::filesystem::path> own_directory() {
  std::vector<wchar_t> name(MAX_PATH);
  while (true) {
    const DWORD length = GetModuleFileNameW(nullptr, name.data(), static_cast<DWORD>(name.size()));
    if (length == 0) {
      return std::nullopt;
    }
    if (length < name.size()) {
      return std::filesystem::path(std::wstring(name.data(), length)).parent_path();
    }
    name.resize(name.size() * 2);
  }
}

bool loads_windows_dlls() {
  return true;
}

}  // namespace calloutemu::emulator
