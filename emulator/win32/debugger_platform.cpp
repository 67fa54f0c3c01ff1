#include "debugger_platform.h"

#include <windows.h>

namespace calloutemu::emulator {

bool debugger_attached() {
  return IsDebuggerPresent() != FALSE;
}

void break_into_debugger() {
  DebugBreak();
}

std::uint64_t own_process_id() {
  return GetCurrentProcessId();
}

const char* attach_hint() {
  return "windbg -p";
}

}  // namespace calloutemu::emulator
