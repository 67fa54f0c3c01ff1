#include "calloutemu/loader/debugger.h"

#include <windows.h>

#include <string>

namespace calloutemu::loader {

bool debugger_attached() {
  return IsDebuggerPresent() != FALSE;
}

void break_into_debugger() {
  DebugBreak();
}

std::uint64_t own_process_id() {
  return GetCurrentProcessId();
}

// Under Wine the id is Wine's, which winedbg takes; on Windows WinDbg and
// Visual Studio attach by it too.
std::string attach_command() {
  const auto id = std::to_string(own_process_id());
  return "windbg -p " + id + ", or under Wine: winedbg --gdb " + id;
}

}  // namespace calloutemu::loader
