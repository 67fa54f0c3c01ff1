// What the callout host choice needs to know about the system calloutemu runs on.
#pragma once

#include <filesystem>
#include <optional>

namespace calloutemu::emulator {

// The directory of the running calloutemu program, when the system says.
std::optional<std::filesystem::path> own_directory();

// True where Windows PE DLLs load into this process (Windows builds).
bool loads_windows_dlls();

}  // namespace calloutemu::emulator
