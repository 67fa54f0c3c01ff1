// --break-before, --break-always and --wait-for-debugger.
#pragma once

#include <cstdint>
#include <functional>

#include <spdlog/logger.h>

#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::emulator {

// Decides, before each hook call, whether to stop in the debugger there.
class Breakpoints {
 public:
  Breakpoints(const DiagnosticOptions& options, spdlog::logger& log);

  bool empty() const { return points_.empty(); }
  bool matches(loader::Hook hook, std::uint64_t request) const;

  // Stops when a break point matches and a debugger is attached (or
  // --break-always). Request 0: START and STOP.
  void before(loader::Hook hook, std::uint64_t request);

  // For ServerSettings::before_hook; empty when there are no break points.
  std::function<void(loader::Hook, std::uint64_t)> gate();

 private:
  const std::vector<BreakPoint>& points_;
  bool always_;
  spdlog::logger& log_;
  bool said_no_debugger_ = false;
};

// Prints the process id and the command to attach, then waits until a
// debugger is attached.
void wait_for_debugger(spdlog::logger& log);

}  // namespace calloutemu::emulator
