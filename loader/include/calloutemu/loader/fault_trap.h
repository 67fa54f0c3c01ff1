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

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace calloutemu::loader {

struct Fault {
  std::string description;  // "SIGSEGV (address not mapped) at 0x10", "C++ exception: ..."
  std::uint32_t code = 0;   // signal number or Windows exception code; 0 for C++ exceptions
  std::uintptr_t address = 0;
  // The memory a segmentation fault or access violation touched, when known
  // (checked mode tells its guard pages by it).
  std::uintptr_t accessed = 0;
};

// Installs the process-wide handlers for its lifetime. Only one may exist at a
// time, and run() is not re-entrant on one thread.
class FaultTrap {
 public:
  FaultTrap();
  ~FaultTrap();
  FaultTrap(const FaultTrap&) = delete;
  FaultTrap& operator=(const FaultTrap&) = delete;

  template <class F>
  std::optional<Fault> run(F&& f) {
    auto call = [&f] { f(); };
    return run_erased(&invoke<decltype(call)>, &call);
  }

 private:
  template <class F>
  static void invoke(void* f) {
    (*static_cast<F*>(f))();
  }
  std::optional<Fault> run_erased(void (*fn)(void*), void* context);
};

// Calls fn(context), turning a C++ exception into a Fault (used by run()).
std::optional<Fault> call_catching_exceptions(void (*fn)(void*), void* context);

}  // namespace calloutemu::loader
