#include "calloutemu/loader/fault_trap.h"

#include <windows.h>

#include <cassert>
#include <cstdio>

namespace calloutemu::loader {
namespace {

// A vectored handler can reach nothing but globals, so the trap's state is the
// one exception to "no mutable global state": per thread, the jump target of
// run() and the exception it records; per process, the handler registration.
struct ThreadTrapState {
  void* jump[5] = {};  // __builtin_setjmp's buffer: no unwinding through foreign frames
  bool armed = false;
  EXCEPTION_RECORD record{};
};
thread_local ThreadTrapState t_state;
void* g_handler = nullptr;  // set and cleared by FaultTrap only

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

Fault describe(const EXCEPTION_RECORD& record) {
  Fault fault;
  fault.code = record.ExceptionCode;
  fault.address = reinterpret_cast<std::uintptr_t>(record.ExceptionAddress);
  char text[192];
  if (record.ExceptionCode == EXCEPTION_ACCESS_VIOLATION && record.NumberParameters >= 2) {
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
}

FaultTrap::~FaultTrap() {
  RemoveVectoredExceptionHandler(g_handler);
  g_handler = nullptr;
}

std::optional<Fault> FaultTrap::run_erased(void (*fn)(void*), void* context) {
  assert(!t_state.armed && "FaultTrap::run is not re-entrant");
  if (__builtin_setjmp(t_state.jump) != 0) {
    return describe(t_state.record);
  }
  t_state.armed = true;
  auto fault = call_catching_exceptions(fn, context);
  t_state.armed = false;
  return fault;
}

}  // namespace calloutemu::loader
