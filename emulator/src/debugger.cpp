#include "debugger.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "debugger_platform.h"

namespace calloutemu::emulator {
namespace {

std::string call_name(loader::Hook hook, std::uint64_t request) {
  std::string name(loader::to_string(hook));
  return request == 0 ? name + " (START or STOP)" : name + " of request " + std::to_string(request);
}

}  // namespace

// Kept out of line and named for what it does, so that the debugger's
// backtrace shows where it stopped and why.
[[gnu::noinline]] void stop_before_hook(loader::Hook hook, std::uint64_t request) {
  // Step out of this function (gdb: `finish`, then `step`) to reach the call.
  static_cast<void>(hook);
  static_cast<void>(request);
  break_into_debugger();
  // Not a tail call: this frame stays on the stack for the backtrace.
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

Breakpoints::Breakpoints(const DiagnosticOptions& options, spdlog::logger& log)
    : points_(options.break_before), always_(options.break_always), log_(log) {}

bool Breakpoints::matches(loader::Hook hook, std::uint64_t request) const {
  for (const auto& point : points_) {
    if (point.hook == hook && (!point.request || *point.request == request)) {
      return true;
    }
  }
  return false;
}

void Breakpoints::before(loader::Hook hook, std::uint64_t request) {
  if (!matches(hook, request)) {
    return;
  }
  if (!always_ && !debugger_attached()) {
    if (!said_no_debugger_) {
      said_no_debugger_ = true;
      log_.info(
          "--break-before: no debugger is attached, so the run does not stop before {} "
          "(--break-always stops anyway)",
          call_name(hook, request));
    }
    return;
  }
  log_.info("stopping in the debugger before {}", call_name(hook, request));
  log_.flush();
  stop_before_hook(hook, request);
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

std::function<void(loader::Hook, std::uint64_t)> Breakpoints::gate() {
  if (empty()) {
    return {};
  }
  return [this](loader::Hook hook, std::uint64_t request) { before(hook, request); };
}

void wait_for_debugger(spdlog::logger& log) {
  const auto id = own_process_id();
  log.info("process {} waits for a debugger to attach ({} {}), then goes on", id, attach_hint(),
           id);
  log.flush();
  while (!debugger_attached()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  log.info("a debugger is attached: going on");
}

}  // namespace calloutemu::emulator
