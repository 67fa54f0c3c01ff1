// A chain that runs one hook at a time, whichever thread calls: in-process
// checked mode's guarded buffers and options page serve one call at a time,
// so with --checked --workers the worker threads take turns.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>

#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::emulator {

class SerializedHooks final : public loader::CalloutHooks {
 public:
  explicit SerializedHooks(loader::CalloutHooks& hooks) : hooks_(hooks) {}

  // From any thread, once a call is held for good (the watchdog gave it up):
  // the calls waiting for their turn, and every later one, are refused
  // (HookCall::called false) instead of waiting for it.
  void refuse_waiting_calls();

  bool has(loader::Hook hook) const override;
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
  std::optional<loader::Fault> guarded(void (*fn)(void*), void* context) override;
  using CalloutHooks::guarded;

 private:
  template <class Call>
  loader::HookCall in_turn(Call&& call);

  loader::CalloutHooks& hooks_;
  std::mutex lock_;
  std::condition_variable turn_free_;
  bool busy_ = false;
  bool refusing_ = false;
};

}  // namespace calloutemu::emulator
