#include "calloutemu/loader/fault_trap.h"

#include <windows.h>

#include <cassert>
#include <csignal>
#include <cstdio>
#include <utility>

namespace calloutemu::loader {
namespace {

// A vectored handler can reach nothing but globals, so the trap's state is the
// one exception to "no mutable global state": per thread, the jump target of
// run() and the fault it records; per process, the handler registrations.
struct ThreadTrapState {
  void* jump[5] = {};  // __builtin_setjmp's buffer: no unwinding through foreign frames
  bool armed = false;
  bool aborted = false;  // abort(), not a hardware exception: `record` is unused
  EXCEPTION_RECORD record{};
};
thread_local ThreadTrapState t_state;
void* g_handler = nullptr;  // set and cleared by FaultTrap only
using SignalHandler = void (*)(int);
SignalHandler g_previous_abort_handler = SIG_DFL;  // restored by ~FaultTrap

bool is_hardware_fault(DWORD code) {
  switch (code) {
    case EXCEPTION_ACCESS_VIOLATION:
    case EXCEPTION_ARRAY_BOUNDS_EXCEEDED:
    case EXCEPTION_DATATYPE_MISALIGNMENT:
    case EXCEPTION_FLT_DIVIDE_BY_ZERO:
    case EXCEPTION_FLT_INVALID_OPERATION:
    case EXCEPTION_ILLEGAL_INSTRUCTION:
    case EXCEPTION_IN_PAGE_ERROR:
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
    case EXCEPTION_INT_OVERFLOW:
    case EXCEPTION_PRIV_INSTRUCTION:
    case EXCEPTION_STACK_OVERFLOW:
      return true;
    default:
      return false;
  }
}

const char* exception_name(DWORD code) {
  switch (code) {
    case EXCEPTION_ACCESS_VIOLATION:
      return "EXCEPTION_ACCESS_VIOLATION";
    case EXCEPTION_ARRAY_BOUNDS_EXCEEDED:
      return "EXCEPTION_ARRAY_BOUNDS_EXCEEDED";
    case EXCEPTION_DATATYPE_MISALIGNMENT:
      return "EXCEPTION_DATATYPE_MISALIGNMENT";
    case EXCEPTION_FLT_DIVIDE_BY_ZERO:
      return "EXCEPTION_FLT_DIVIDE_BY_ZERO";
    case EXCEPTION_FLT_INVALID_OPERATION:
      return "EXCEPTION_FLT_INVALID_OPERATION";
    case EXCEPTION_ILLEGAL_INSTRUCTION:
      return "EXCEPTION_ILLEGAL_INSTRUCTION";
    case EXCEPTION_IN_PAGE_ERROR:
      return "EXCEPTION_IN_PAGE_ERROR";
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
      return "EXCEPTION_INT_DIVIDE_BY_ZERO";
    case EXCEPTION_INT_OVERFLOW:
      return "EXCEPTION_INT_OVERFLOW";
    case EXCEPTION_PRIV_INSTRUCTION:
      return "EXCEPTION_PRIV_INSTRUCTION";
    case EXCEPTION_STACK_OVERFLOW:
      return "EXCEPTION_STACK_OVERFLOW";
    default:
      return "exception";
  }
}

LONG CALLBACK on_exception(EXCEPTION_POINTERS* pointers) {
  const EXCEPTION_RECORD& record = *pointers->ExceptionRecord;
  if (!t_state.armed || !is_hardware_fault(record.ExceptionCode)) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  t_state.record = record;
  t_state.armed = false;
  __builtin_longjmp(t_state.jump, 1);
}

// abort() is no exception on Windows: the C runtime raises SIGABRT, then ends
// the process if the handler returns. The runtime resets the handler to the
// default before calling it (ANSI semantics), so it is installed again here.
void on_abort(int signal_number) {
  if (!t_state.armed) {
    std::signal(SIGABRT, g_previous_abort_handler);
    std::raise(signal_number);
    return;
  }
  std::signal(SIGABRT, &on_abort);
  t_state.aborted = true;
  t_state.armed = false;
  __builtin_longjmp(t_state.jump, 1);
}

Fault describe_abort() {
  return Fault{"SIGABRT (abort)", static_cast<std::uint32_t>(SIGABRT), 0};
}

Fault describe(const EXCEPTION_RECORD& record) {
  Fault fault;
  fault.code = record.ExceptionCode;
  fault.address = reinterpret_cast<std::uintptr_t>(record.ExceptionAddress);
  char text[192];
  if (record.ExceptionCode == EXCEPTION_ACCESS_VIOLATION && record.NumberParameters >= 2) {
    fault.accessed = static_cast<std::uintptr_t>(record.ExceptionInformation[1]);
    const char* access = record.ExceptionInformation[0] == 0   ? "reading"
                         : record.ExceptionInformation[0] == 8 ? "executing"
                                                               : "writing";
    std::snprintf(text, sizeof text, "%s (0x%08lX) %s address %#llx at %#llx",
                  exception_name(record.ExceptionCode),
                  static_cast<unsigned long>(record.ExceptionCode), access,
                  static_cast<unsigned long long>(record.ExceptionInformation[1]),
                  static_cast<unsigned long long>(fault.address));
  } else {
    std::snprintf(text, sizeof text, "%s (0x%08lX) at %#llx", exception_name(record.ExceptionCode),
                  static_cast<unsigned long>(record.ExceptionCode),
                  static_cast<unsigned long long>(fault.address));
  }
  fault.description = text;
  return fault;
}

}  // namespace

FaultTrap::FaultTrap() {
  assert(g_handler == nullptr && "only one FaultTrap may exist at a time");
  g_handler = AddVectoredExceptionHandler(1, &on_exception);
  const SignalHandler previous = std::signal(SIGABRT, &on_abort);
  g_previous_abort_handler = previous == SIG_ERR ? SIG_DFL : previous;
}

FaultTrap::~FaultTrap() {
  std::signal(SIGABRT, g_previous_abort_handler);
  g_previous_abort_handler = SIG_DFL;
  RemoveVectoredExceptionHandler(g_handler);
  g_handler = nullptr;
}

std::optional<Fault> FaultTrap::run_erased(void (*fn)(void*), void* context) {
  assert(!t_state.armed && "FaultTrap::run is not re-entrant");
  if (__builtin_setjmp(t_state.jump) != 0) {
    if (std::exchange(t_state.aborted, false)) {
      return describe_abort();
    }
    return describe(t_state.record);
  }
  t_state.armed = true;
  auto fault = call_catching_exceptions(fn, context);
  t_state.armed = false;
  return fault;
}

}  // namespace calloutemu::loader
