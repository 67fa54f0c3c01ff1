#include "calloutemu/emulator/load_only_run.h"

#include <thread>
#include <vector>

#include "calloutemu/loader/fault_trap.h"
#include "chain_session.h"
#include "debugger.h"
#include "in_process_stop.h"

namespace calloutemu::emulator {

ExitCode run_load_only(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                       spdlog::logger& log, std::ostream& out) {
  // In-process, a DLL entry, START or STOP the watchdog gives up on is
  // reported as in a replay; the run ends there, on the watchdog's thread
  // (the run's own is held in the callout).
  const bool watch = !setup.plan.hosted() && trap.timeout().count() > 0;
  const auto watch_no_more = [&] {
    if (watch) {  // the handlers above refer to this function's objects
      trap.set_timeout(trap.timeout(), end_run_when_stuck(log, trap.timeout()));
    }
  };
  std::vector<loader::LoadAttempt> attempts_seen;
  if (watch) {
    trap.set_timeout(trap.timeout(), [&](std::thread::id) {
      const auto names =
          loader::order_for_loading(setup.config.dlls, options.effective_load_order());
      report_stuck_start(attempts_seen, names, given_up_call(trap.timeout()), log, out);
      exit_flushed(kExitHookFault, log, {&out});
    });
  }
  auto start =
      start_session(options, setup, trap, false, log, out,
                    [&](const loader::LoadAttempt& attempt) { attempts_seen.push_back(attempt); });
  watch_no_more();
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
    if (watch) {
      trap.set_timeout(trap.timeout(), [&](std::thread::id) {
        report_stuck_stop(start.session.dll, given_up_call(trap.timeout()), log, out);
        exit_flushed(kExitHookFault, log, {&out});
      });
    }
  }
  end_session(start.session, trap, log, out);
  watch_no_more();
  return start.session.faulted ? kExitHookFault : kExitOk;
}

}  // namespace calloutemu::emulator
