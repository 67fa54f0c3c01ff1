#include "calloutemu/loader/debugger.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace calloutemu::loader {

[[gnu::noinline]] void stop_before_hook(Hook hook, std::uint64_t request) {
  // Step out of this function (gdb: `finish`) to reach the call.
  static_cast<void>(hook);
  static_cast<void>(request);
  break_into_debugger();
  // Not a tail call: this frame stays on the stack for the backtrace.
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

void wait_for_debugger(const std::function<void(std::string_view)>& say) {
  say("process " + std::to_string(own_process_id()) + " waits for a debugger to attach (" +
      attach_command() + "), then goes on");
  while (!debugger_attached()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  say("a debugger is attached: going on");
}

}  // namespace calloutemu::loader
