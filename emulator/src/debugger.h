// --break-before, --break-always and --wait-for-debugger in calloutemu.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include <spdlog/logger.h>

#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/hosted_chain.h"

namespace calloutemu::emulator {

// Decides, before each hook call, whether to stop in the debugger there.
// With a callout host the stop happens in the host, just before it calls
// the hook: that is where a debugger can step into the callout.
class Breakpoints {
 public:
  Breakpoints(const DiagnosticOptions& options, spdlog::logger& log,
              loader::HostedChain* host = nullptr);

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
  loader::HostedChain* host_;
  std::atomic<bool> said_no_debugger_{false};  // worker threads ask too
};

}  // namespace calloutemu::emulator
