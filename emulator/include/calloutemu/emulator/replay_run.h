// A run with captures: load the chain, replay every request through the
// server model and its hooks, STOP, unload, and report.
#pragma once

#include <ostream>

#include <spdlog/logger.h>

#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_config.h"

namespace calloutemu::emulator {

// The report goes to `out` (see the README); faults, findings and errors go
// to `log` as they happen.
ExitCode run_replay(const Options& options, const loader::CalloutConfig& config,
                    spdlog::logger& log, std::ostream& out);

}  // namespace calloutemu::emulator
