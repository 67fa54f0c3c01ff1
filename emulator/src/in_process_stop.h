// In-process, a hook that faults (or does not return in time) ends the run,
// as it would take the real server down: the hooks refuse every later call
// (HookCall::called false, which the server does not record, so a refused
// hook never appears in the trace as a NULL one), and the observers are told
// nothing more but the end of the request that faulted.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

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

  // The hook call under way when the watchdog gave up on it.
  struct AbandonedCall {
    loader::Hook hook;
    DWORD code;
  };
  // From then on each call is noted (two stores), so that abandon() can tell
  // which one is under way. For one calling thread only (no --workers).
  void note_calls() { noting_ = true; }
  // From another thread (the watchdog's): the call under way, whose thread
  // then never comes back from it, not even if the hook returns after all;
  // nullopt when no call is under way (it just returned: nothing is held).
  std::optional<AbandonedCall> abandon();

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

  loader::CalloutHooks& inner_;
  std::atomic<bool> stopped_{false};
  bool noting_ = false;
  loader::Hook hook_ = loader::Hook::control;  // the call under way, with its code
  DWORD code_ = 0;
  std::atomic<bool> in_call_{false};
  std::atomic<bool> abandoned_{false};
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

  server::ServerObserver& next_;
  bool active_;
  std::optional<StopCause> cause_;
};

// "NewPkt crashed in-process" / "NewPkt did not return within 200 ms in-process".
std::string stop_reason(const StopCause& cause);

}  // namespace calloutemu::emulator
