#include "calloutemu/loader/fault_trap.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "process_barrier.h"
#include "signal_context.h"
#include "stuck_call_check.h"

namespace calloutemu::loader {
namespace {

constexpr std::array<int, 5> kTrappedSignals{SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
// Extra frames captured beyond kMaxBacktraceFrames: the handler's own and the
// signal trampoline, dropped before reporting.
constexpr std::size_t kRawFrames = kMaxBacktraceFrames + 4;

// What the watchdog sees of one thread that runs calls under the trap. Only
// the owning thread writes `calls` (odd while a call runs); the watchdog
// writes `interrupt` (the `calls` value of the call it interrupts) and
// `abandoned` (see StuckCallCheck).
struct WatchSlot {
  std::atomic<bool> used{false};
  std::atomic<std::uint64_t> calls{0};
  std::atomic<std::uint64_t> interrupt{0};
  std::atomic<std::uint64_t> abandoned{0};
  pthread_t thread{};
  std::thread::id owner;
};
constexpr std::size_t kWatchSlots = 128;

// A signal handler can reach nothing but globals, so the trap's state is the
// one exception to "no mutable global state": per thread, the jump target of
// run(), the fault it records and the signal mask to restore after one; per
// process, the handlers it replaced.
struct ThreadTrapState {
  sigjmp_buf* jump = nullptr;
  siginfo_t info{};
  sigset_t mask{};
  std::uint64_t mask_generation = 0;  // the g_trap_generation `mask` was read under
  bool alternate_stack_checked = false;
  std::vector<char> alternate_stack;  // lets a stack overflow in a callout be reported
  // Filled by the handler: the faulting instruction and the stack.
  std::uintptr_t pc = 0;
  std::array<void*, kRawFrames> frames{};
  int frame_count = 0;
  bool timed_out = false;
  WatchSlot* slot = nullptr;  // claimed at the first run() under a watchdog
  std::uint64_t calls = 0;    // this thread's copy of slot->calls
  bool light_end = false;     // has_process_barrier(), read when the slot was claimed

  ThreadTrapState() = default;
  ThreadTrapState(const ThreadTrapState&) = delete;
  ThreadTrapState& operator=(const ThreadTrapState&) = delete;
  ~ThreadTrapState() {
    if (slot != nullptr) {
      slot->used.store(false, std::memory_order_release);
    }
  }
};
thread_local ThreadTrapState t_state;
std::array<WatchSlot, kWatchSlots> g_watch_slots;  // reached by the watchdog's handler
std::atomic<bool> g_watching{false};

using SavedActions = std::array<struct sigaction, kTrappedSignals.size()>;
SavedActions* g_previous_actions = nullptr;  // set and cleared by FaultTrap only
std::uint64_t g_trap_generation = 0;         // counts FaultTraps, so each reads masks afresh

void restore_previous_action(int signal_number) {
  for (std::size_t i = 0; i < kTrappedSignals.size(); ++i) {
    if (kTrappedSignals[i] == signal_number && g_previous_actions != nullptr) {
      sigaction(signal_number, &(*g_previous_actions)[i], nullptr);
      return;
    }
  }
  signal(signal_number, SIG_DFL);
}

void capture_stack(void* context) {
  t_state.pc = signal_context_pc(context);
  t_state.frame_count = backtrace(t_state.frames.data(), static_cast<int>(t_state.frames.size()));
}

void on_fault(int signal_number, siginfo_t* info, void* context) {
  if (t_state.jump == nullptr) {
    // Not inside run() on this thread: hand the signal to whoever had it before.
    // A fault re-executes its instruction on return; a sent signal is raised again.
    restore_previous_action(signal_number);
    if (info->si_code <= 0) {
      raise(signal_number);
    }
    return;
  }
  t_state.info = *info;
  t_state.timed_out = false;
  capture_stack(context);
  sigjmp_buf* jump = t_state.jump;
  t_state.jump = nullptr;
  siglongjmp(*jump, 1);
}

// The watchdog's signal: acted on only when it is meant for the call this
// thread is running now (a call that returned in the meantime is left alone).
void on_watchdog(int /*signal_number*/, siginfo_t* /*info*/, void* context) {
  WatchSlot* slot = t_state.slot;
  if (t_state.jump == nullptr || slot == nullptr ||
      slot->interrupt.load(std::memory_order_acquire) != t_state.calls) {
    return;
  }
  t_state.timed_out = true;
  capture_stack(context);
  sigjmp_buf* jump = t_state.jump;
  t_state.jump = nullptr;
  siglongjmp(*jump, 1);
}

WatchSlot* claim_watch_slot() {
  for (auto& slot : g_watch_slots) {
    bool expected = false;
    if (slot.used.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      slot.thread = pthread_self();
      slot.owner = std::this_thread::get_id();
      slot.interrupt.store(0, std::memory_order_relaxed);
      slot.abandoned.store(0, std::memory_order_relaxed);
      slot.calls.store(t_state.calls, std::memory_order_release);
      return &slot;
    }
  }
  return nullptr;  // more threads than slots: the rest run unwatched
}

// Marks a call begun for the watchdog: one atomic store.
void count_call() {
  if (t_state.slot != nullptr) {
    t_state.slot->calls.store(++t_state.calls, std::memory_order_release);
  }
}

[[noreturn]] void park_thread() {
  for (;;) {
    pause();
  }
}

// Marks a call ended; one the watchdog gave up on never returns.
void end_call() {
  if (t_state.slot != nullptr) {
    end_watched_call(*t_state.slot, t_state.calls, t_state.light_end, &park_thread);
  }
}

// A thread that already has an alternate stack (sanitizers install their own
// and free it at thread exit) keeps it; only a thread without one gets ours.
void ensure_alternate_stack() {
  if (t_state.alternate_stack_checked) {
    return;
  }
  t_state.alternate_stack_checked = true;
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) == 0) {
    return;
  }
  t_state.alternate_stack.resize(static_cast<std::size_t>(SIGSTKSZ) * 4);
  stack_t stack{};
  stack.ss_sp = t_state.alternate_stack.data();
  stack.ss_size = t_state.alternate_stack.size();
  sigaltstack(&stack, nullptr);
}

// sigsetjmp(jump, 1) would read the mask with a system call on every run();
// the mask is read once per thread and FaultTrap instead, and put back only
// after a fault (the handler leaves the faulting signal blocked).
void remember_signal_mask() {
  if (t_state.mask_generation != g_trap_generation) {
    pthread_sigmask(SIG_BLOCK, nullptr, &t_state.mask);
    t_state.mask_generation = g_trap_generation;
  }
}

const char* signal_name(int signal_number) {
  switch (signal_number) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGABRT:
      return "SIGABRT";
    default:
      return "signal";
  }
}

const char* code_meaning(const siginfo_t& info) {
  if (info.si_code <= 0) {
    return "sent by raise/kill";
  }
  switch (info.si_signo) {
    case SIGSEGV:
      return info.si_code == SEGV_MAPERR   ? "address not mapped"
             : info.si_code == SEGV_ACCERR ? "invalid permissions for mapped object"
                                           : "segmentation fault";
    case SIGBUS:
      return info.si_code == BUS_ADRALN ? "invalid address alignment" : "bus error";
    case SIGFPE:
      return info.si_code == FPE_INTDIV ? "integer divide by zero" : "arithmetic exception";
    case SIGILL:
      return "illegal instruction";
    default:
      return "fault";
  }
}

std::string module_offset(std::uintptr_t address, std::uintptr_t lookup) {
  Dl_info info{};
  std::array<char, 512> text{};
  // dladdr takes a void*: converting an integer back to one is what it needs.
  if (dladdr(reinterpret_cast<void*>(lookup), &info) == 0 || info.dli_fname == nullptr) {
    std::snprintf(text.data(), text.size(), "0x%zx", static_cast<std::size_t>(address));
    return text.data();
  }
  const char* slash = std::strrchr(info.dli_fname, '/');
  const char* module = slash == nullptr ? info.dli_fname : slash + 1;
  if (*module == '\0') {
    module = "?";
  }
  const auto base = reinterpret_cast<std::uintptr_t>(info.dli_fbase);
  int used = std::snprintf(text.data(), text.size(), "%s+0x%zx", module,
                           static_cast<std::size_t>(address - base));
  if (info.dli_sname != nullptr && info.dli_saddr != nullptr && used > 0 &&
      static_cast<std::size_t>(used) < text.size()) {
    std::snprintf(
        text.data() + used, text.size() - static_cast<std::size_t>(used), " (%s+0x%zx)",
        info.dli_sname,
        static_cast<std::size_t>(address - reinterpret_cast<std::uintptr_t>(info.dli_saddr)));
  }
  return text.data();
}

// The frames the handler captured, from the interrupted instruction outwards:
// those of the handler and the signal trampoline come before it.
void add_stack(Fault& fault) {
  std::size_t first = 0;
  const auto count = static_cast<std::size_t>(t_state.frame_count > 0 ? t_state.frame_count : 0);
  bool found = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (reinterpret_cast<std::uintptr_t>(t_state.frames[i]) == t_state.pc && t_state.pc != 0) {
      first = i;
      found = true;
      break;
    }
  }
  if (!found) {
    first = count < 2 ? count : 2;
  }
  if (t_state.pc != 0) {
    fault.location = describe_code_address(t_state.pc);
    if (!found) {
      fault.backtrace.push_back(fault.location);
    }
  }
  // The frames from the trap's own module outwards are the caller's, not the callout's.
  Dl_info own{};
  const bool own_known = dladdr(reinterpret_cast<void*>(&add_stack), &own) != 0;
  for (std::size_t i = first; i < count && fault.backtrace.size() < kMaxBacktraceFrames; ++i) {
    const auto address = reinterpret_cast<std::uintptr_t>(t_state.frames[i]);
    Dl_info info{};
    if (i > first && own_known && dladdr(reinterpret_cast<void*>(address - 1), &info) != 0 &&
        info.dli_fbase == own.dli_fbase) {
      break;
    }
    // A return address may lie just past its call's function: named by the call.
    fault.backtrace.push_back(i == first ? describe_code_address(address)
                                         : module_offset(address, address - 1));
  }
  if (fault.location.empty() && !fault.backtrace.empty()) {
    fault.location = fault.backtrace.front();
  }
}

Fault describe(const siginfo_t& info) {
  Fault fault;
  fault.code = static_cast<std::uint32_t>(info.si_signo);
  const bool has_address = info.si_signo != SIGABRT && info.si_code > 0;
  fault.address = has_address ? reinterpret_cast<std::uintptr_t>(info.si_addr) : 0;
  if (info.si_signo == SIGSEGV || info.si_signo == SIGBUS) {
    fault.accessed = fault.address;
  }
  std::array<char, 160> text{};
  if (has_address) {
    std::snprintf(text.data(), text.size(), "%s (%s) at address %#zx", signal_name(info.si_signo),
                  code_meaning(info), static_cast<std::size_t>(fault.address));
  } else {
    std::snprintf(text.data(), text.size(), "%s (%s)", signal_name(info.si_signo),
                  code_meaning(info));
  }
  fault.description = text.data();
  return fault;
}

// Polls the calls in progress and interrupts one running past the timeout.
class Watchdog {
 public:
  Watchdog(std::chrono::milliseconds timeout, StuckCallHandler on_stuck,
           std::chrono::milliseconds grace)
      : timeout_(timeout), stuck_(std::move(on_stuck), grace) {
    const auto quarter = timeout / 4;
    period_ = quarter < std::chrono::milliseconds(50) ? quarter : std::chrono::milliseconds(50);
    if (period_ < std::chrono::milliseconds(1)) {
      period_ = std::chrono::milliseconds(1);
    }
    thread_ = std::thread([this] { watch(); });
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void watch() {
    using Clock = std::chrono::steady_clock;
    std::array<std::uint64_t, kWatchSlots> seen{};
    std::array<Clock::time_point, kWatchSlots> since{};
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
      const auto now = Clock::now();
      for (std::size_t i = 0; i < kWatchSlots; ++i) {
        auto& slot = g_watch_slots[i];
        if (!slot.used.load(std::memory_order_acquire)) {
          continue;
        }
        const auto calls = slot.calls.load(std::memory_order_acquire);
        if ((calls & 1U) == 0) {
          seen[i] = calls;
          continue;
        }
        if (calls != seen[i]) {
          seen[i] = calls;
          since[i] = now;
          continue;
        }
        if (now - since[i] >= timeout_ && slot.interrupt.load(std::memory_order_relaxed) != calls) {
          slot.interrupt.store(calls, std::memory_order_release);
          pthread_kill(slot.thread, watchdog_signal());
          stuck_.interrupted(i, calls, now);
        } else if (stuck_.stuck(i, calls, now) && stuck_.give_up(i, slot, calls)) {
          lock.unlock();
          stuck_.report(slot.owner);
          lock.lock();
        }
      }
    }
  }

  std::chrono::milliseconds timeout_;
  StuckCallCheck<kWatchSlots> stuck_;
  std::chrono::milliseconds period_{};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// What run() stores after the handler jumped back. Not inlined into run():
// nothing that lives across sigsetjmp there may be clobbered by the jump.
[[gnu::noinline]] void fault_after_jump(std::chrono::milliseconds timeout,
                                        std::optional<Fault>& out) {
  Fault fault;
  if (t_state.timed_out) {
    fault.description = "did not return within " + std::to_string(timeout.count()) + " ms";
    fault.timed_out = true;
  } else {
    fault = describe(t_state.info);
  }
  add_stack(fault);
  out = std::move(fault);
}

}  // namespace

class HookWatchdog {
 public:
  HookWatchdog(std::chrono::milliseconds timeout, StuckCallHandler on_stuck,
               std::chrono::milliseconds grace)
      : watchdog_(timeout, std::move(on_stuck), grace) {}

 private:
  Watchdog watchdog_;
};

std::string describe_code_address(std::uintptr_t address) {
  return module_offset(address, address);
}

FaultTrap::FaultTrap() {
  assert(g_previous_actions == nullptr && "only one FaultTrap may exist at a time");
  g_previous_actions = new SavedActions;
  ++g_trap_generation;
  struct sigaction action {};
  action.sa_sigaction = &on_fault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < kTrappedSignals.size(); ++i) {
    sigaction(kTrappedSignals[i], &action, &(*g_previous_actions)[i]);
  }
  // The first backtrace() loads libgcc_s (not async-signal-safe): done here, not in a handler.
  std::array<void*, 4> warm_up{};
  backtrace(warm_up.data(), static_cast<int>(warm_up.size()));
}

void FaultTrap::set_timeout(std::chrono::milliseconds timeout, StuckCallHandler on_stuck,
                            std::chrono::milliseconds grace) {
  g_watching.store(false, std::memory_order_release);
  watchdog_.reset();
  timeout_ = timeout;
  if (timeout.count() <= 0) {
    timeout_ = std::chrono::milliseconds(0);
    return;
  }
  struct sigaction action {};
  action.sa_sigaction = &on_watchdog;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(watchdog_signal(), &action, nullptr);
  watchdog_ = std::make_unique<HookWatchdog>(timeout, std::move(on_stuck), grace);
  g_watching.store(true, std::memory_order_release);
}

FaultTrap::~FaultTrap() {
  set_timeout(std::chrono::milliseconds(0));
  for (std::size_t i = 0; i < kTrappedSignals.size(); ++i) {
    sigaction(kTrappedSignals[i], &(*g_previous_actions)[i], nullptr);
  }
  delete g_previous_actions;
  g_previous_actions = nullptr;
}

void FaultTrap::run_erased(void (*fn)(void*), void* context, std::optional<Fault>& fault) {
  assert(t_state.jump == nullptr && "FaultTrap::run is not re-entrant");
  ensure_alternate_stack();
  remember_signal_mask();
  if (t_state.slot == nullptr && g_watching.load(std::memory_order_acquire)) {
    t_state.slot = claim_watch_slot();
    t_state.light_end = has_process_barrier();
  }
  sigjmp_buf jump;
  if (sigsetjmp(jump, 0) != 0) {
    end_call();
    pthread_sigmask(SIG_SETMASK, &t_state.mask, nullptr);
    fault_after_jump(timeout_, fault);
    return;
  }
  count_call();
  t_state.jump = &jump;
  call_catching_exceptions(fn, context, fault);
  t_state.jump = nullptr;
  end_call();
}

}  // namespace calloutemu::loader
