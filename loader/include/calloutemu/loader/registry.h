// The real registry key, on Windows builds (and so under Wine).
#pragma once

#include "calloutemu/loader/callout_config.h"
#include "calloutemu/result.h"

namespace calloutemu::loader {

// False on builds for systems without a Windows registry.
bool registry_available();

// Reads CalloutDlls (REG_MULTI_SZ) and CalloutEnabled (REG_DWORD) under
// HKLM\System\CurrentControlSet\Services\DHCPServer\Parameters.
Result<CalloutConfig> read_callout_registry();

}  // namespace calloutemu::loader
