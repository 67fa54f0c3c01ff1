// The host's standard streams (posix/host_stdio.cpp, win32/host_stdio.cpp):
// standard input and output carry the wake bytes of the channel and belong to
// the host alone; what callouts write to standard output goes to standard
// error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::loader::host {

class HostPipes {
 public:
  // Takes standard input and output for the wake pipes, then points the
  // process's standard output (descriptor or handle, and the C library's
  // stdout) at standard error and its standard input at the null device.
  // Call before any callout is loaded.
  static Result<HostPipes> take();

  // Blocks until a byte arrives from the client; false when it is gone.
  bool wait();
  // Writes the client's wake byte; false when it is gone.
  bool wake_client();

 private:
  HostPipes(std::intptr_t input, std::intptr_t output) : input_(input), output_(output) {}
  std::intptr_t input_;
  std::intptr_t output_;
};

// The command line, as UTF-8.
std::vector<std::string> host_arguments(int argc, char** argv);

// Ends the process at once, running nothing of the callout's (no atexit
// handlers, no library destructors): after a fault it may be corrupt.
[[noreturn]] void exit_now(int status);

// "posix" or "win32".
const char* host_platform();

}  // namespace calloutemu::loader::host
