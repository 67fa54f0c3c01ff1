// In-process, a hook that faults (or does not return in time) ends the run,
// as it would take the real server down: the hooks refuse every later call
// (HookCall::called false, which the server does not record, so a refused
// hook never appears in the trace as a NULL one), and the observers are told
// nothing more but the end of the request that faulted.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/server/outcome.h"

namespace spdlog {
class logger;
}

namespace calloutemu::emulator {

// What the watchdog does with a call it could not interrupt outside the
// replay's requests (a DLL entry, Control(START), Control(STOP); the hook
// blocks the watchdog's signal): nothing would end the run, so it ends here,
// with exit 3 and a message that says so.
loader::StuckCallHandler end_run_when_stuck(spdlog::logger& log, std::chrono::milliseconds limit);

// Ends the process with `code` once `streams`, the log and every C stream
// are flushed: for a run that ends while a thread is held in the callout for
// good (it could not be joined).
[[noreturn]] void exit_flushed(ExitCode code, spdlog::logger& log,
                               std::initializer_list<std::ostream*> streams = {});

// The hook calls that stopped the run.
struct StopCause {
  std::uint64_t request = 0;  // 0: outside any request
  std::string hook;           // "NewPkt", "Control(PAUSE)"
  loader::Fault fault;
};

class StopAfterFault final : public loader::CalloutHooks {
 public:
  explicit StopAfterFault(loader::CalloutHooks& inner) : inner_(inner) {}

  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

  // From then on each call notes which hook it is (two stores), for each of
  // up to `threads` calling threads (the receive thread and the workers), so
  // that give_up() can tell which call the watchdog gave up on.
  void note_calls(std::size_t threads);

  // The call the watchdog gave up on: its thread never returns from it.
  struct AbandonedCall {
    loader::Hook hook;
    DWORD code;
  };
  // From the watchdog's thread, told that `thread` is held in a call for
  // good: no hook is called again, and that call is returned (nullopt when
  // `thread`'s calls are not noted).
  std::optional<AbandonedCall> give_up(std::thread::id thread);
  // Whether give_up() was called: a thread is held, so the process cannot
  // end by joining its threads.
  bool gave_up() const { return gave_up_.load(std::memory_order_acquire); }

  bool has(loader::Hook hook) const override { return inner_.has(hook); }
  loader::HookCall control(DWORD code) override;
  loader::HookCall new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                           void** context, BOOL* process_it) override;
  loader::HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                            void* reserved, void* context) override;
  loader::HookCall pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                            void* reserved, void* context) override;
  loader::HookCall address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                               DWORD alt_address, void* reserved, void* context) override;
  loader::HookCall address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                 DWORD alt_address, DWORD address_type, DWORD lease_time,
                                 void* reserved, void* context) override;
  loader::HookCall handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                  DHCP_SERVER_OPTIONS* options) override;
  loader::HookCall delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                 DWORD reserved, DWORD client_type) override;
  std::optional<loader::Fault> guarded(void (*fn)(void*), void* context) override {
    return inner_.guarded(fn, context);
  }
  using CalloutHooks::guarded;

 private:
  template <class Call>
  loader::HookCall unless_stopped(loader::Hook hook, DWORD code, Call&& call);
  template <class Call>
  loader::HookCall noted_call(loader::Hook hook, DWORD code, Call& call);

  struct CallNote {
    std::thread::id thread;
    loader::Hook hook = loader::Hook::control;
    DWORD code = 0;
  };
  CallNote* note_of_this_thread();

  loader::CalloutHooks& inner_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> gave_up_{false};
  // One note per calling thread; those below noted_threads_ are published.
  bool noting_ = false;
  std::unique_ptr<CallNote[]> notes_;
  std::size_t note_capacity_ = 0;
  std::atomic<std::size_t> noted_threads_{0};
  std::mutex note_lock_;
};

// Passes the server's events on until a hook faults; then only that
// request's own (its hook records and its end), and no response: the server
// that crashed sends none.
class StopGate final : public server::ServerObserver {
 public:
  // A gate not `active` (a hosted chain, which is restarted) passes everything.
  StopGate(server::ServerObserver& next, bool active) : next_(next), active_(active) {}

  const std::optional<StopCause>& cause() const { return cause_; }

  bool wants_arguments() const override { return next_.wants_arguments(); }
  void hook_called(const server::HookRecord& record) override;
  void response_sent(const server::RequestOutcome& outcome,
                     std::span<const std::uint8_t> bytes) override;
  void request_finished(const server::RequestOutcome& outcome) override;
  void note(std::string_view text) override;

 private:
  bool passes(std::uint64_t request) const { return !cause_ || cause_->request == request; }
  // The first fault: out of line, so that hook_called()'s usual case saves no registers.
  [[gnu::cold]] void stop_at(const server::HookRecord& record);

  server::ServerObserver& next_;
  bool active_;
  std::optional<StopCause> cause_;
};

// "NewPkt crashed in-process" / "NewPkt did not return within 200 ms in-process".
std::string stop_reason(const StopCause& cause);

}  // namespace calloutemu::emulator
