// The DLL list and where the chain runs, settled before anything is loaded.
#pragma once

#include <chrono>
#include <memory>

#include <spdlog/logger.h>

#include "calloutemu/emulator/host_plan.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_config.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hosted_chain.h"
#include "calloutemu/result.h"

namespace calloutemu::emulator {

struct CalloutSetup {
  loader::CalloutConfig config;
  HostPlan plan;
  std::unique_ptr<loader::HostedChain> host;  // started early for --registry, else by start_session
};

// The watchdog for in-process calls (--hook-timeout; 0: none). A call it
// cannot interrupt outside the replay's requests (a DLL entry, START, STOP)
// ends the run with exit 3; the replay watches its requests' hooks itself.
void watch_in_process_calls(loader::FaultTrap& trap, std::chrono::milliseconds limit,
                            spdlog::logger& log);

// Reads the DLL list (--dlls, --reg-file or --registry; the registry through
// the host when the chain runs in one) and plans the host. Errors are the
// user's to fix: exit 1.
Result<CalloutSetup> set_up_callouts(const Options& options, loader::FaultTrap& trap,
                                     spdlog::logger& log);

}  // namespace calloutemu::emulator
