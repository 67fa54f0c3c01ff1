#include "calloutemu/emulator/load_only_run.h"

#include "calloutemu/loader/fault_trap.h"
#include "chain_session.h"

namespace calloutemu::emulator {

ExitCode run_load_only(const Options& options, const loader::CalloutConfig& config,
                       spdlog::logger& log, std::ostream& out) {
  loader::FaultTrap trap;
  auto start = start_session(options, config, trap, false, log, out);
  if (start.stop) {
    return *start.stop;
  }
  end_session(start.session, trap, log, out);
  return start.session.faulted ? kExitHookFault : kExitOk;
}

}  // namespace calloutemu::emulator
