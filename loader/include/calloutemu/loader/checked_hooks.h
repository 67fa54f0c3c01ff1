// Checked mode (--checked): what the real server would silently let pass,
// reported as findings of the hook call (HookCall::findings): a write past
// the 4096-byte buffer (a guard-page fault), past PacketSize (a canary), a
// bad replacement buffer, DHCP_SERVER_OPTIONS or ChainDlls used after their
// call returned. Each finding names the hook and the DLL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/guarded_memory.h"

namespace calloutemu::loader {

// The checks themselves, shared by CheckedHooks (in-process) and the callout
// host (which calls the table directly). Thread-safe.
class CheckedBuffers {
 public:
  // The callout's view of a packet buffer: a guarded 4096-byte copy of the
  // server's buffer (one per server buffer, so the same pointer for every hook
  // of a packet), the bytes past PacketSize filled with a canary.
  struct Handed {
    BYTE* server = nullptr;
    BYTE* guarded = nullptr;  // nullptr: no pages; the hook gets `server`
    const char* name = "receive";
    DWORD size = 0;
    BYTE* packet() const { return guarded != nullptr ? guarded : server; }
  };
  // Runs its argument so that a fault comes back as a value.
  using Guard = std::function<std::optional<Fault>(const std::function<void()>&)>;

  CheckedBuffers(GuardedMemory& memory, std::string dll) : memory_(memory), dll_(std::move(dll)) {}

  // `server` is a buffer of the server's, kBufferSize bytes.
  Handed hand_over(BYTE* server, DWORD size, const char* buffer_name);
  // After a hook that had the packet by value (`size` as passed) or by
  // reference (*packet and *size as the hook left them; set to what the
  // server must see: a bad replacement is undone). The guarded bytes go back
  // to the server's buffer up to PacketSize; writes past it are findings.
  void take_back(Hook hook, const Handed& handed, DWORD size, std::vector<std::string>& findings);
  // True when *packet is a replacement the server keeps.
  bool take_back(Hook hook, const Handed& handed, BYTE** packet, DWORD* size,
                 std::vector<std::string>& findings, const Guard& guard);

  // HandleOptions: a copy of `options` in its own page, its pointers into the
  // packet rebased onto the guarded buffer; nullptr when there are no pages.
  DHCP_SERVER_OPTIONS* hand_over_options(const DHCP_SERVER_OPTIONS& options, const Handed& handed);
  // Copies it back (pointers rebased to the server's buffer), then poisons
  // and protects its page until the next HandleOptions.
  void take_back_options(DHCP_SERVER_OPTIONS* copy, DHCP_SERVER_OPTIONS& options,
                         const Handed& handed);

  // A fault in guarded memory, as a finding.
  void classify(Hook hook, const std::optional<Fault>& fault,
                std::vector<std::string>& findings) const;

  static constexpr std::size_t kBufferSize = 4096;
  // Over this a replacement is taken for a bug (the server's own limit).
  static constexpr DWORD kMaxPlausiblePacket = 64 * 1024;

 private:
  std::string finding(Hook hook, const std::string& what) const;
  void check_tail(Hook hook, const Handed& handed, DWORD size,
                  std::vector<std::string>& findings) const;

  GuardedMemory& memory_;
  std::string dll_;
  std::mutex mutex_;
  std::map<const BYTE*, BYTE*> buffers_;  // server buffer -> guarded copy
  std::map<const DHCP_SERVER_OPTIONS*, DHCP_SERVER_OPTIONS*> options_;  // server's -> guarded
};

class CheckedHooks final : public CalloutHooks {
 public:
  // `memory` may hold other retired blocks (ChainDlls) whose misuse is
  // reported too; it and `inner` must outlive this object. `dll` names the
  // callout in findings.
  CheckedHooks(CalloutHooks& inner, GuardedMemory& memory, std::string dll)
      : inner_(inner), checks_(memory, std::move(dll)) {}

  bool has(Hook hook) const override { return inner_.has(hook); }
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
  std::optional<Fault> guarded(void (*fn)(void*), void* context) override {
    return inner_.guarded(fn, context);
  }
  using CalloutHooks::guarded;

 private:
  CheckedBuffers::Handed hand_over(BYTE* packet, DWORD size, const char* buffer_name);
  template <class Call>
  HookCall by_reference(Hook hook, BYTE** packet, DWORD* size, const char* buffer_name, Call call);
  template <class Call>
  HookCall by_value(Hook hook, BYTE* packet, DWORD size, Call call);

  CalloutHooks& inner_;
  CheckedBuffers checks_;
  std::mutex mutex_;
  std::set<const BYTE*> replacements_;  // the callout's own buffers, passed as they are
};

}  // namespace calloutemu::loader
