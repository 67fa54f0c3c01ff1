// The hooks of a loaded callout chain, as the server calls them: one interface
// for the in-process chain and for a callout hosted in another process.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_clock.h"

namespace calloutemu::loader {

enum class Hook : std::uint8_t {
  control,
  new_pkt,
  pkt_drop,
  pkt_send,
  address_del,
  address_offer,
  handle_options,
  delete_client,
};
inline constexpr std::size_t kHookCount = 8;

// "Control", "NewPkt", "PktDrop", "PktSend", "AddressDel", "AddressOffer",
// "HandleOptions", "DeleteClient": the names the recorder fixture and the
// reports use.
std::string_view to_string(Hook hook);
// The hook of one of those names, compared without regard to case.
std::optional<Hook> parse_hook(std::string_view name);

// One call of a hook. A hook the callout left NULL is not called: `called` is
// false and nothing else is set.
struct HookCall {
  bool called = false;
  DWORD returned = 0;
  std::optional<Fault> fault;           // it crashed or threw; `returned` is then 0
  std::chrono::nanoseconds duration{};  // 0 unless the hooks are timed
  // Misuse checked mode caught in this call (CheckedHooks), each naming the
  // hook and the DLL.
  std::vector<std::string> findings{};
};

class CalloutHooks {
 public:
  virtual ~CalloutHooks() = default;

  virtual bool has(Hook hook) const = 0;

  virtual HookCall control(DWORD code) = 0;
  virtual HookCall new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                           void** context, BOOL* process_it) = 0;
  virtual HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                            void* reserved, void* context) = 0;
  virtual HookCall pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                            void* reserved, void* context) = 0;
  virtual HookCall address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                               DWORD alt_address, void* reserved, void* context) = 0;
  virtual HookCall address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                 DWORD alt_address, DWORD address_type, DWORD lease_time,
                                 void* reserved, void* context) = 0;
  virtual HookCall handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                  DHCP_SERVER_OPTIONS* options) = 0;
  virtual HookCall delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                 DWORD reserved, DWORD client_type) = 0;

  // Runs fn(context) as the hooks run, so that reading memory a callout
  // handed back (a pointer it stored in DHCP_SERVER_OPTIONS) cannot take the
  // server down: a fault there comes back as a value.
  virtual std::optional<Fault> guarded(void (*fn)(void*), void* context) = 0;

  template <class F>
  std::optional<Fault> guarded(F&& f) {
    auto call = [&f] { f(); };
    return guarded([](void* c) { (*static_cast<decltype(call)*>(c))(); }, &call);
  }
};

// The hooks of a chain loaded into this process, each call run under `trap`.
// The table is copied; the library must stay loaded while this object is
// used. With a `clock`, each call's duration is measured (two clock reads a
// call); the clock must outlive this object.
class InProcessHooks final : public CalloutHooks {
 public:
  InProcessHooks(const DHCP_CALLOUT_TABLE& table, FaultTrap& trap, const HookClock* clock = nullptr)
      : table_(table), trap_(trap), clock_(clock) {}

  bool has(Hook hook) const override;
  HookCall control(DWORD code) override;
  HookCall new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved, void** context,
                   BOOL* process_it) override;
  HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address, void* reserved,
                    void* context) override;
  HookCall pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address, void* reserved,
                    void* context) override;
  HookCall address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address, DWORD alt_address,
                       void* reserved, void* context) override;
  HookCall address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address, DWORD alt_address,
                         DWORD address_type, DWORD lease_time, void* reserved,
                         void* context) override;
  HookCall handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                          DHCP_SERVER_OPTIONS* options) override;
  HookCall delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                         DWORD reserved, DWORD client_type) override;
  std::optional<Fault> guarded(void (*fn)(void*), void* context) override;
  using CalloutHooks::guarded;

 private:
  template <class Function, class... Args>
  HookCall call(Function function, Args... args);

  DHCP_CALLOUT_TABLE table_;
  FaultTrap& trap_;
  const HookClock* clock_;
};

// A server without callouts (none listed, or CalloutEnabled = 0): no hook is
// ever called.
class NoHooks final : public CalloutHooks {
 public:
  bool has(Hook) const override { return false; }
  HookCall control(DWORD) override { return {}; }
  HookCall new_pkt(BYTE**, DWORD*, DWORD, void*, void**, BOOL*) override { return {}; }
  HookCall pkt_drop(BYTE**, DWORD*, DWORD, DWORD, void*, void*) override { return {}; }
  HookCall pkt_send(BYTE**, DWORD*, DWORD, DWORD, void*, void*) override { return {}; }
  HookCall address_del(BYTE*, DWORD, DWORD, DWORD, DWORD, void*, void*) override { return {}; }
  HookCall address_offer(BYTE*, DWORD, DWORD, DWORD, DWORD, DWORD, DWORD, void*, void*) override {
    return {};
  }
  HookCall handle_options(BYTE*, DWORD, void*, void*, DHCP_SERVER_OPTIONS*) override { return {}; }
  HookCall delete_client(DWORD, BYTE*, ULONG, DWORD, DWORD) override { return {}; }
  std::optional<Fault> guarded(void (*fn)(void*), void* context) override {
    return call_catching_exceptions(fn, context);
  }
  using CalloutHooks::guarded;
};

}  // namespace calloutemu::loader
