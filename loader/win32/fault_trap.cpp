#include "calloutemu/loader/fault_trap.h"

#include <windows.h>

#include <array>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "calloutemu/loader/text_encoding.h"
#include "process_barrier.h"
#include "stuck_call_check.h"

namespace calloutemu::loader {
namespace {

// A vectored handler can reach nothing but globals, so the trap's state is the
// one exception to "no mutable global state": per thread, the jump target of
// run() and the fault it records; per process, the handler registrations.
constexpr std::size_t kRawFrames = kMaxBacktraceFrames;
// Raised on a blocked thread that the watchdog has redirected (its own code,
// an "application" exception: bit 29 set).
constexpr DWORD kTimedOutCode = 0xE0CE7D09;

struct ThreadTrapState {
  void* jump[5] = {};  // __builtin_setjmp's buffer: no unwinding through foreign frames
  bool armed = false;
  bool aborted = false;  // abort(), not a hardware exception: `record` is unused
  bool timed_out = false;
  EXCEPTION_RECORD record{};
  std::array<std::uintptr_t, kRawFrames> frames{};
  std::size_t frame_count = 0;
};
thread_local ThreadTrapState t_state;

// What the watchdog sees of one thread running calls under the trap. Only the
// owner writes `calls` (odd while a call runs). The watchdog fills `frames`
// of a thread it suspended before redirecting it.
struct WatchSlot {
  std::atomic<bool> used{false};
  std::atomic<std::uint64_t> calls{0};
  std::atomic<std::uint64_t> abandoned{0};  // the watchdog giving a call up (see StuckCallCheck)
  HANDLE thread = nullptr;
  std::thread::id owner;
  std::array<std::uintptr_t, kRawFrames> frames{};
  std::size_t frame_count = 0;
};
constexpr std::size_t kWatchSlots = 128;
std::array<WatchSlot, kWatchSlots> g_watch_slots;
std::atomic<bool> g_watching{false};

// No destructor: under MinGW's emulated TLS, this destructor once ran at a
// thread's exit on an object that no longer held what the thread stored (it
// released a garbage "slot" and corrupted the heap after loader_tests'
// CatchesFaultsOnOtherThreads). The slot is released by a fiber-local
// storage callback instead (release_watch_slot).
struct ThreadWatch {
  WatchSlot* slot = nullptr;
  std::uint64_t calls = 0;
  bool light_end = false;  // has_process_barrier(), read when the slot was claimed
};
thread_local ThreadWatch t_watch;

// At the exit of a thread that claimed `slot`.
void WINAPI release_watch_slot(void* slot) {
  if (slot != nullptr) {
    auto* claimed = static_cast<WatchSlot*>(slot);
    CloseHandle(claimed->thread);
    claimed->used.store(false, std::memory_order_release);
  }
}

// FLS_OUT_OF_INDEXES when there is none left: slots are then not given back.
DWORD watch_slot_index() {
  static const DWORD index = FlsAlloc(&release_watch_slot);
  return index;
}

// Walks the stack from `context` (x64: the unwind tables; elsewhere only the
// interrupted instruction).
std::size_t walk_stack(CONTEXT context, std::array<std::uintptr_t, kRawFrames>& frames) {
  std::size_t count = 0;
#if defined(__x86_64__) || defined(_M_X64)
  while (count < frames.size() && context.Rip != 0) {
    frames[count++] = static_cast<std::uintptr_t>(context.Rip);
    DWORD64 image_base = 0;
    RUNTIME_FUNCTION* entry = RtlLookupFunctionEntry(context.Rip, &image_base, nullptr);
    if (entry == nullptr) {
      if (image_base == 0 && count > 1) {
        break;  // outside any module: the walk went astray
      }
      // A leaf function: the return address is on top of the stack.
      MEMORY_BASIC_INFORMATION memory{};
      if (VirtualQuery(reinterpret_cast<void*>(context.Rsp), &memory, sizeof memory) == 0 ||
          memory.State != MEM_COMMIT) {
        break;
      }
      context.Rip = *reinterpret_cast<const DWORD64*>(context.Rsp);
      context.Rsp += 8;
      continue;
    }
    void* handler_data = nullptr;
    DWORD64 establisher = 0;
    RtlVirtualUnwind(UNW_FLAG_NHANDLER, image_base, context.Rip, entry, &context, &handler_data,
                     &establisher, nullptr);
  }
#elif defined(__i386__) || defined(_M_IX86)
  frames[count++] = static_cast<std::uintptr_t>(context.Eip);
#endif
  return count;
}

// The name of an export that starts exactly where the function holding
// `address` starts (x64 unwind tables); empty when there is none.
std::string export_at_function_start(HMODULE module, std::uintptr_t address) {
#if defined(__x86_64__) || defined(_M_X64)
  DWORD64 image_base = 0;
  RUNTIME_FUNCTION* entry = RtlLookupFunctionEntry(address, &image_base, nullptr);
  if (entry == nullptr || image_base != reinterpret_cast<DWORD64>(module)) {
    return {};
  }
  const auto* base = reinterpret_cast<const BYTE*>(module);
  const auto* dos = reinterpret_cast<const IMAGE_DOS_HEADER*>(base);
  const auto* nt = reinterpret_cast<const IMAGE_NT_HEADERS*>(base + dos->e_lfanew);
  const auto& directory = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
  if (directory.VirtualAddress == 0 || directory.Size == 0) {
    return {};
  }
  const auto* exports =
      reinterpret_cast<const IMAGE_EXPORT_DIRECTORY*>(base + directory.VirtualAddress);
  const auto* names = reinterpret_cast<const DWORD*>(base + exports->AddressOfNames);
  const auto* ordinals = reinterpret_cast<const WORD*>(base + exports->AddressOfNameOrdinals);
  const auto* functions = reinterpret_cast<const DWORD*>(base + exports->AddressOfFunctions);
  for (DWORD i = 0; i < exports->NumberOfNames; ++i) {
    if (ordinals[i] < exports->NumberOfFunctions && functions[ordinals[i]] == entry->BeginAddress) {
      return reinterpret_cast<const char*>(base + names[i]);
    }
  }
#else
  (void)module;
  (void)address;
#endif
  return {};
}

std::string module_offset(std::uintptr_t address, std::uintptr_t lookup) {
  HMODULE module = nullptr;
  char text[96];
  if (!GetModuleHandleExW(
          GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
          reinterpret_cast<LPCWSTR>(lookup), &module)) {
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(address));
    return text;
  }
  std::wstring path(MAX_PATH, L'\0');
  const DWORD length = GetModuleFileNameW(module, path.data(), static_cast<DWORD>(path.size()));
  path.resize(length);
  const auto slash = path.find_last_of(L"\\/");
  const std::wstring base_name = slash == std::wstring::npos ? path : path.substr(slash + 1);
  auto name = utf16_to_utf8(std::u16string(base_name.begin(), base_name.end()));
  std::string result = name && !name->empty() ? *name : std::string("?");
  std::snprintf(
      text, sizeof text, "+0x%llx",
      static_cast<unsigned long long>(address - reinterpret_cast<std::uintptr_t>(module)));
  result += text;
  if (const auto symbol = export_at_function_start(module, lookup); !symbol.empty()) {
#if defined(__x86_64__) || defined(_M_X64)
    DWORD64 image_base = 0;
    const RUNTIME_FUNCTION* entry = RtlLookupFunctionEntry(lookup, &image_base, nullptr);
    std::snprintf(text, sizeof text, "+0x%llx)",
                  static_cast<unsigned long long>(address - image_base - entry->BeginAddress));
    result += " (" + symbol + text;
#endif
  }
  return result;
}

void add_stack(Fault& fault, const std::array<std::uintptr_t, kRawFrames>& frames,
               std::size_t count) {
  // The frames from the trap's own module outwards are the caller's, not the callout's.
  HMODULE own = nullptr;
  GetModuleHandleExW(
      GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
      reinterpret_cast<LPCWSTR>(&add_stack), &own);
  for (std::size_t i = 0; i < count && fault.backtrace.size() < kMaxBacktraceFrames; ++i) {
    HMODULE module = nullptr;
    if (i > 0 && own != nullptr &&
        GetModuleHandleExW(
            GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            reinterpret_cast<LPCWSTR>(frames[i] - 1), &module) &&
        module == own) {
      break;
    }
    // A return address may lie just past its call's function: named by the call.
    fault.backtrace.push_back(i == 0 ? describe_code_address(frames[i])
                                     : module_offset(frames[i], frames[i] - 1));
  }
  if (!fault.backtrace.empty()) {
    fault.location = fault.backtrace.front();
  }
}
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
  if (!t_state.armed) {
    return EXCEPTION_CONTINUE_SEARCH;
  }
  if (record.ExceptionCode == kTimedOutCode && t_watch.slot != nullptr) {
    // The stack was read while the thread was suspended, before the redirect.
    t_state.timed_out = true;
    t_state.frame_count = t_watch.slot->frame_count;
    t_state.frames = t_watch.slot->frames;
  } else if (is_hardware_fault(record.ExceptionCode)) {
    t_state.frame_count = walk_stack(*pointers->ContextRecord, t_state.frames);
  } else {
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
  CONTEXT context{};
  RtlCaptureContext(&context);
  t_state.frame_count = walk_stack(context, t_state.frames);
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

// Where the watchdog sends a blocked thread: raising the exception that the
// vectored handler turns into the timeout fault.
[[noreturn]] void raise_timed_out() {
  RaiseException(kTimedOutCode, EXCEPTION_NONCONTINUABLE, 0, nullptr);
  for (;;) {
    Sleep(INFINITE);
  }
}

WatchSlot* claim_watch_slot() {
  for (auto& slot : g_watch_slots) {
    bool expected = false;
    if (slot.used.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      HANDLE self = nullptr;
      DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self,
                      THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_SET_CONTEXT |
                          THREAD_QUERY_INFORMATION,
                      FALSE, 0);
      slot.thread = self;
      slot.owner = std::this_thread::get_id();
      slot.abandoned.store(0, std::memory_order_relaxed);
      slot.calls.store(t_watch.calls, std::memory_order_release);
      if (const DWORD index = watch_slot_index(); index != FLS_OUT_OF_INDEXES) {
        FlsSetValue(index, &slot);
      }
      return &slot;
    }
  }
  return nullptr;
}

void count_call() {
  if (t_watch.slot != nullptr) {
    t_watch.slot->calls.store(++t_watch.calls, std::memory_order_release);
  }
}

[[noreturn]] void park_thread() {
  for (;;) {
    Sleep(INFINITE);
  }
}

// Marks a call ended; one the watchdog gave up on never returns.
void end_call() {
  if (t_watch.slot != nullptr) {
    end_watched_call(*t_watch.slot, t_watch.calls, t_watch.light_end, &park_thread);
  }
}

// Suspends a thread still in the call it was seen in, reads its stack, and
// resumes it in raise_timed_out() on a stack aligned as at a function's entry.
void interrupt(WatchSlot& slot, std::uint64_t calls) {
  if (slot.thread == nullptr || SuspendThread(slot.thread) == static_cast<DWORD>(-1)) {
    return;
  }
  CONTEXT context{};
  context.ContextFlags = CONTEXT_FULL;
  if (slot.calls.load(std::memory_order_acquire) == calls &&
      GetThreadContext(slot.thread, &context)) {
    slot.frame_count = walk_stack(context, slot.frames);
#if defined(__x86_64__) || defined(_M_X64)
    // Below the red zone-free x64 stack, 16-byte aligned, then a fake return address slot.
    context.Rsp = ((context.Rsp - 256) & ~static_cast<DWORD64>(15)) - 8;
    context.Rip = reinterpret_cast<DWORD64>(&raise_timed_out);
#else
    context.Esp = ((context.Esp - 256) & ~static_cast<DWORD>(15)) - 4;
    context.Eip = reinterpret_cast<DWORD>(&raise_timed_out);
#endif
    SetThreadContext(slot.thread, &context);
  }
  ResumeThread(slot.thread);
}

// What run() stores after the handler jumped back. Not inlined into run():
// nothing that lives across the setjmp there may be clobbered by the jump.
[[gnu::noinline]] void fault_after_jump(std::chrono::milliseconds timeout,
                                        std::optional<Fault>& out) {
  Fault fault;
  if (std::exchange(t_state.aborted, false)) {
    fault = describe_abort();
  } else if (std::exchange(t_state.timed_out, false)) {
    fault.description = "did not return within " + std::to_string(timeout.count()) + " ms";
    fault.timed_out = true;
  } else {
    fault = describe(t_state.record);
  }
  add_stack(fault, t_state.frames, t_state.frame_count);
  out = std::move(fault);
}

}  // namespace

class HookWatchdog {
 public:
  HookWatchdog(std::chrono::milliseconds timeout, StuckCallHandler on_stuck,
               std::chrono::milliseconds grace)
      : timeout_(timeout), stuck_(std::move(on_stuck), grace) {
    const auto quarter = timeout / 4;
    period_ = quarter < std::chrono::milliseconds(50) ? quarter : std::chrono::milliseconds(50);
    if (period_ < std::chrono::milliseconds(1)) {
      period_ = std::chrono::milliseconds(1);
    }
    thread_ = std::thread([this] { watch(); });
  }
  ~HookWatchdog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  HookWatchdog(const HookWatchdog&) = delete;
  HookWatchdog& operator=(const HookWatchdog&) = delete;

 private:
  void watch() {
    using Clock = std::chrono::steady_clock;
    std::array<std::uint64_t, kWatchSlots> seen{};
    std::array<Clock::time_point, kWatchSlots> since{};
    std::array<std::uint64_t, kWatchSlots> interrupted{};
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
      const auto now = Clock::now();
      for (std::size_t i = 0; i < kWatchSlots; ++i) {
        auto& slot = g_watch_slots[i];
        if (!slot.used.load(std::memory_order_acquire)) {
          continue;
        }
        const auto calls = slot.calls.load(std::memory_order_acquire);
        if ((calls & 1U) == 0 || calls != seen[i]) {
          seen[i] = calls;
          since[i] = now;
          continue;
        }
        if (now - since[i] >= timeout_ && interrupted[i] != calls) {
          interrupted[i] = calls;
          interrupt(slot, calls);
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

std::string describe_code_address(std::uintptr_t address) {
  return module_offset(address, address);
}

void FaultTrap::set_timeout(std::chrono::milliseconds timeout, StuckCallHandler on_stuck,
                            std::chrono::milliseconds grace) {
  g_watching.store(false, std::memory_order_release);
  watchdog_.reset();
  timeout_ = timeout.count() > 0 ? timeout : std::chrono::milliseconds(0);
  if (timeout_.count() > 0) {
    watchdog_ = std::make_unique<HookWatchdog>(timeout_, std::move(on_stuck), grace);
    g_watching.store(true, std::memory_order_release);
  }
}

FaultTrap::FaultTrap() {
  assert(g_handler == nullptr && "only one FaultTrap may exist at a time");
  g_handler = AddVectoredExceptionHandler(1, &on_exception);
  const SignalHandler previous = std::signal(SIGABRT, &on_abort);
  g_previous_abort_handler = previous == SIG_ERR ? SIG_DFL : previous;
}

FaultTrap::~FaultTrap() {
  set_timeout(std::chrono::milliseconds(0));
  std::signal(SIGABRT, g_previous_abort_handler);
  g_previous_abort_handler = SIG_DFL;
  RemoveVectoredExceptionHandler(g_handler);
  g_handler = nullptr;
}

void FaultTrap::run_erased(void (*fn)(void*), void* context, std::optional<Fault>& fault) {
  assert(!t_state.armed && "FaultTrap::run is not re-entrant");
  if (t_watch.slot == nullptr && g_watching.load(std::memory_order_acquire)) {
    t_watch.slot = claim_watch_slot();
    t_watch.light_end = has_process_barrier();
  }
  if (__builtin_setjmp(t_state.jump) != 0) {
    end_call();
    fault_after_jump(timeout_, fault);
    return;
  }
  count_call();
  t_state.armed = true;
  call_catching_exceptions(fn, context, fault);
  t_state.armed = false;
  end_call();
}

}  // namespace calloutemu::loader
