#include "debugger_platform.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace calloutemu::emulator {

bool debugger_attached() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("TracerPid:", 0) == 0) {
      return std::stol(line.substr(10)) != 0;
    }
  }
  return false;
}

void break_into_debugger() {
  raise(SIGTRAP);
}

std::uint64_t own_process_id() {
  return static_cast<std::uint64_t>(getpid());
}

const char* attach_hint() {
  return "gdb -p";
}

}  // namespace calloutemu::emulator
