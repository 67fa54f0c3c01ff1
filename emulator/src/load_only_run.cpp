#include "calloutemu/emulator/load_only_run.h"

#include "calloutemu/loader/fault_trap.h"
#include "chain_session.h"
#include "debugger.h"

namespace calloutemu::emulator {

ExitCode run_load_only(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                       spdlog::logger& log, std::ostream& out) {
  auto start = start_session(options, setup, trap, false, log, out);
  if (start.stop) {
    return *start.stop;
  }
  if (start.session.faulted && start.session.callout) {
    // In-process a crash in START is the end of the callout: STOP is not sent.
    out << "Control(STOP): not sent (Control(START) in " << start.session.dll
        << " crashed in-process)\n";
    return kExitHookFault;
  }
  if (start.session.callout) {
    Breakpoints(options.diagnostics, log).before(loader::Hook::control, 0);  // STOP
  }
  end_session(start.session, trap, log, out);
  return start.session.faulted ? kExitHookFault : kExitOk;
}

}  // namespace calloutemu::emulator
