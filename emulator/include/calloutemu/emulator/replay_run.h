// A run with captures: load the chain, replay every request through the
// server model and its hooks, STOP, unload, and report.
#pragma once

#include <cstdio>

#include <ostream>

#include <spdlog/logger.h>

#include "calloutemu/emulator/callout_setup.h"
#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::emulator {

// The load report goes to `out` (to `err` when the trace does), the summary
// to `err` (see the README); faults, findings and errors go to `log` as they
// happen. `err_file` is where the progress bar is drawn.
ExitCode run_replay(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                    spdlog::logger& log, std::ostream& out, std::ostream& err, std::FILE* err_file);

}  // namespace calloutemu::emulator
