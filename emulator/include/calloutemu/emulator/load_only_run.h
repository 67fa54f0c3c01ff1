// A run without a capture: load the chain, START, STOP, unload, and report.
#pragma once

#include <ostream>

#include <spdlog/logger.h>

#include "calloutemu/emulator/callout_setup.h"
#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::emulator {

// The report goes to `out` (one "key: value" line per fact, see the README);
// skipped DLLs, faults and errors go to `log`.
ExitCode run_load_only(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                       spdlog::logger& log, std::ostream& out);

}  // namespace calloutemu::emulator
