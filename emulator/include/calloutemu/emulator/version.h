#pragma once

namespace calloutemu::emulator {

inline constexpr const char* kVersion = CALLOUTEMU_VERSION;

}  // namespace calloutemu::emulator
