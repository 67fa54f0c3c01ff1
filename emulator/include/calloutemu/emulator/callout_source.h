// Where the DLL list comes from: --dlls, --reg-file or --registry, exactly one.
#pragma once

#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_config.h"
#include "calloutemu/result.h"

namespace calloutemu::emulator {

Result<loader::CalloutConfig> read_callout_config(const Options& options);

}  // namespace calloutemu::emulator
