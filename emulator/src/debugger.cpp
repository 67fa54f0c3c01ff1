#include "debugger.h"

#include <string>

#include "calloutemu/loader/debugger.h"

namespace calloutemu::emulator {
namespace {

std::string call_name(loader::Hook hook, std::uint64_t request) {
  std::string name(loader::to_string(hook));
  return request == 0 ? name + " (START or STOP)" : name + " of request " + std::to_string(request);
}

}  // namespace

Breakpoints::Breakpoints(const DiagnosticOptions& options, spdlog::logger& log,
                         loader::HostedChain* host)
    : points_(options.break_before), always_(options.break_always), log_(log), host_(host) {}

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
  if (host_ != nullptr) {
    // The host decides by its own debugger (--break-always was passed on).
    log_.debug("the callout host stops before {} if a debugger is attached to it",
               call_name(hook, request));
    host_->break_before_next_call();
    return;
  }
  if (!always_ && !loader::debugger_attached()) {
    if (!said_no_debugger_.exchange(true)) {
      log_.info(
          "--break-before: no debugger is attached, so the run does not stop before {} "
          "(--break-always stops anyway)",
          call_name(hook, request));
    }
    return;
  }
  log_.info("stopping in the debugger before {}", call_name(hook, request));
  log_.flush();
  loader::stop_before_hook(hook, request);
}

std::function<void(loader::Hook, std::uint64_t)> Breakpoints::gate() {
  if (empty()) {
    return {};
  }
  return [this](loader::Hook hook, std::uint64_t request) { before(hook, request); };
}

}  // namespace calloutemu::emulator
