#include "calloutemu/loader/fault_trap.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>

#include <array>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <vector>

namespace calloutemu::loader {
namespace {

constexpr std::array<int, 5> kTrappedSignals{SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

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
};
thread_local ThreadTrapState t_state;

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

void on_fault(int signal_number, siginfo_t* info, void* /*context*/) {
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
  sigjmp_buf* jump = t_state.jump;
  t_state.jump = nullptr;
  siglongjmp(*jump, 1);
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

}  // namespace

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
}

FaultTrap::~FaultTrap() {
  for (std::size_t i = 0; i < kTrappedSignals.size(); ++i) {
    sigaction(kTrappedSignals[i], &(*g_previous_actions)[i], nullptr);
  }
  delete g_previous_actions;
  g_previous_actions = nullptr;
}

std::optional<Fault> FaultTrap::run_erased(void (*fn)(void*), void* context) {
  assert(t_state.jump == nullptr && "FaultTrap::run is not re-entrant");
  ensure_alternate_stack();
  remember_signal_mask();
  sigjmp_buf jump;
  if (sigsetjmp(jump, 0) != 0) {
    pthread_sigmask(SIG_SETMASK, &t_state.mask, nullptr);
    return describe(t_state.info);
  }
  t_state.jump = &jump;
  auto fault = call_catching_exceptions(fn, context);
  t_state.jump = nullptr;
  return fault;
}

}  // namespace calloutemu::loader
