#include "calloutemu/loader/debugger.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace calloutemu::loader {

bool debugger_attached() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("TracerPid:", 0) == 0) {
      return std::strtol(line.c_str() + 10, nullptr, 10) != 0;
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

std::string attach_command() {
  return "gdb -p " + std::to_string(own_process_id());
}

}  // namespace calloutemu::loader
