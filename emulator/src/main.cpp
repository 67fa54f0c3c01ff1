#include <cstdio>
#include <iostream>

#include "calloutemu/emulator/callout_setup.h"
#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/emulator/load_only_run.h"
#include "calloutemu/emulator/logging.h"
#include "calloutemu/emulator/options.h"
#include "calloutemu/emulator/replay_run.h"
#include "calloutemu/loader/debugger.h"

int main(int argc, char* argv[]) {
  using namespace calloutemu::emulator;
  auto invocation = parse_command_line(argc, argv);
  if (!invocation) {
    std::cerr << "calloutemu: error: " << invocation.error().message << '\n';
    return kExitUsage;
  }
  if (invocation->action != Invocation::Action::run) {
    std::cout << invocation->text;
    return kExitOk;
  }
  const Options& options = invocation->options;
  auto log = make_stderr_logger(options.log_level);

  calloutemu::loader::FaultTrap trap;
  // In-process hooks (and DLL entries) are watched; a hosted chain has its own watchdog.
  watch_in_process_calls(trap, options.diagnostics.effective_hook_timeout(), *log);
  auto setup = set_up_callouts(options, trap, *log);
  if (!setup) {
    log->error("{}", setup.error().message);
    return kExitUsage;
  }
  // With a callout host the host waits instead: the callout runs there.
  if (options.diagnostics.wait_for_debugger && !setup->plan.hosted()) {
    calloutemu::loader::wait_for_debugger([&](std::string_view text) {
      log->info("{}", text);
      log->flush();
    });
  }
  if (!options.replay.pcaps.empty()) {
    return run_replay(options, *setup, trap, *log, std::cout, std::cerr, stderr);
  }
  return run_load_only(options, *setup, trap, *log, std::cout);
}
