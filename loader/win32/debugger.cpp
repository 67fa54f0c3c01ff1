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
// Visual Studio attach by it too. winedbg is given a port because the one it
// picks itself is printed late when its output is not a terminal.
std::string attach_command() {
  const auto id = std::to_string(own_process_id());
  return "windbg -p " + id + ", or under Wine: winedbg --gdb --no-start --port 2345 " + id +
         " then gdb -ex 'target remote :2345'";
}

}  // namespace calloutemu::loader
