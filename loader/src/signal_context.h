// What the POSIX fault trap reads from a signal: the interrupted instruction
// (arch/<name>/signal_context.cpp, chosen by CMake: 0 where the registers are
// not read) and the watchdog's signal.
#pragma once

#include <signal.h>

#include <cstdint>

namespace calloutemu::loader {

// The program counter saved in a handler's ucontext_t; 0 when unknown.
std::uintptr_t signal_context_pc(const void* context);

// The signal the watchdog sends a blocked thread: a real-time one that glibc
// (SIGRTMIN, SIGRTMIN+1), gdb and the sanitizers leave alone.
inline int watchdog_signal() {
  return SIGRTMIN + 4;
}

}  // namespace calloutemu::loader
