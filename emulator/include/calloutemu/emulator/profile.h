// Fidelity profiles (spec: "documented" follows Microsoft's documentation,
// "legacy" the Windows Server 2003-era server where they differ).
#pragma once

#include <optional>
#include <string_view>

#include "calloutemu/loader/load_order.h"

namespace calloutemu::emulator {

enum class Profile { documented, legacy };

std::optional<Profile> parse_profile(std::string_view text);
std::string_view to_string(Profile profile);

// The documented server sorts CalloutDlls; the legacy one keeps the stored order.
loader::LoadOrder default_load_order(Profile profile);

}  // namespace calloutemu::emulator
