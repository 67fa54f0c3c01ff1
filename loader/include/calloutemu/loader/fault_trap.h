// Runs foreign code so that a crash or an exception in it comes back as a value.
//
// POSIX: synchronous fault signals (SEGV, BUS, FPE, ILL, ABRT) raised on the
// calling thread during run() return to run() through siglongjmp; Windows: the
// hardware exceptions, through a vectored handler, and abort() through the C
// runtime's SIGABRT (that of the loader: a callout linked to another C runtime
// is not covered). On POSIX the signal mask
// is not saved on every run() (that is a system call); after a fault the
// thread's mask is restored to what it was at its first run() under this
// trap, so a thread that changes its own mask between runs should do so
// outside the trap's lifetime. The callout may be left in
// a broken state (a lock it held stays held): the out-of-process host is the
// isolation for that.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace calloutemu::loader {

struct Fault {
  Fault() = default;
  explicit Fault(std::string description_, std::uint32_t code_ = 0, std::uintptr_t address_ = 0)
      : description(std::move(description_)), code(code_), address(address_) {}

  std::string description;  // "SIGSEGV (address not mapped) at 0x10", "C++ exception: ..."
  std::uint32_t code = 0;   // signal number or Windows exception code; 0 for C++ exceptions
  std::uintptr_t address = 0;
  // The faulting instruction as module+offset ("crash.so+0x1139 (on_new_packet+0x9)"); empty
  // when unknown (C++ exceptions, an architecture whose registers are not read).
  std::string location;
  // The frames, innermost first, in the same form, up to the first in the
  // trap's own module (the caller's frames are left out).
  std::vector<std::string> backtrace;
  bool timed_out = false;  // the watchdog interrupted a call that did not return
  // The memory a segmentation fault or access violation touched, when known
  // (checked mode tells its guard pages by it).
  std::uintptr_t accessed = 0;
};

inline constexpr std::size_t kMaxBacktraceFrames = 32;

// An address in code as "module+0xOFFSET", with " (symbol+0xNN)" when the
// module's dynamic symbols or exports name one; "0x..." outside any module.
std::string describe_code_address(std::uintptr_t address);

class HookWatchdog;

// Told, on the watchdog's thread, that a call it interrupted is still the
// same call `grace` later: the hook blocks the interrupt (POSIX: it masks the
// watchdog's signal) or waits in the system (Windows), and will not come back.
// The call is given up: its thread (`owner`, the one that called run()) never
// returns from run(), even if the hook returns after all, so the owner may
// report the call and end the run from another thread.
using StuckCallHandler = std::function<void(std::thread::id owner)>;
inline constexpr std::chrono::milliseconds kStuckCallGrace{2000};

// Installs the process-wide handlers for its lifetime. Only one may exist at a
// time, and run() is not re-entrant on one thread.
class FaultTrap {
 public:
  FaultTrap();
  ~FaultTrap();
  FaultTrap(const FaultTrap&) = delete;
  FaultTrap& operator=(const FaultTrap&) = delete;

  // Interrupts any run() still going after `timeout` (0: none, and no
  // watchdog thread) and returns it as a Fault with timed_out set and the
  // blocked thread's stack. POSIX: the thread is sent SIGRTMIN+4; a call
  // that blocks that signal is not interrupted. The check costs two atomic
  // stores a call; the watchdog polls every min(timeout/4, 50 ms).
  // With `on_stuck`, a call still running `grace` after its interrupt is
  // given up and given to it (once per call).
  void set_timeout(std::chrono::milliseconds timeout, StuckCallHandler on_stuck = {},
                   std::chrono::milliseconds grace = kStuckCallGrace);
  std::chrono::milliseconds timeout() const { return timeout_; }

  template <class F>
  std::optional<Fault> run(F&& f) {
    std::optional<Fault> fault;
    run_into(f, fault);
    return fault;
  }
  // The same, storing the fault in `fault` (which must be empty): a hook
  // call's record is filled where it lies, with no Fault moved on the way.
  template <class F>
  void run_into(F&& f, std::optional<Fault>& fault) {
    auto call = [&f] { f(); };
    run_erased(&invoke<decltype(call)>, &call, fault);
  }

 private:
  template <class F>
  static void invoke(void* f) {
    (*static_cast<F*>(f))();
  }
  void run_erased(void (*fn)(void*), void* context, std::optional<Fault>& fault);

  std::chrono::milliseconds timeout_{0};
  std::unique_ptr<HookWatchdog> watchdog_;
};

// Calls fn(context), turning a C++ exception into a Fault (used by run()).
void call_catching_exceptions(void (*fn)(void*), void* context, std::optional<Fault>& fault);
std::optional<Fault> call_catching_exceptions(void (*fn)(void*), void* context);

}  // namespace calloutemu::loader
