// The program's exit codes, documented in the README's table.
#pragma once

namespace calloutemu::emulator {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,                // bad usage, config or input file
  kExitNoCallout = 2,            // callouts were listed but none could be loaded
  kExitHookFault = 3,            // a hook crashed or threw
  kExitExpectationMismatch = 4,  // the run differs from the --expect trace
};

}  // namespace calloutemu::emulator
