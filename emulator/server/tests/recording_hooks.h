// A fake callout chain for the server model's tests: it records every hook
// call as the server made it, and can be scripted per hook.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::server::testing {

using Bytes = std::vector<std::uint8_t>;

// One hook call, with what the server passed in (before any script ran).
struct RecordedCall {
  loader::Hook hook = loader::Hook::control;
  DWORD code = 0;        // Control/drop/send/address code; 0 for NewPkt, HandleOptions
  DWORD ip_address = 0;  // IpAddress (DeleteClient: the client's address)
  DWORD alt_address = 0;
  DWORD address_type = 0;  // AddressOffer's AddrType
  DWORD lease_time = 0;
  void* reserved = nullptr;  // Reserved (NewPkt, PktDrop, PktSend, AddressDel/Offer, HandleOptions)
  void* context = nullptr;   // PktContext (NewPkt: *PktContext on entry)
  const BYTE* packet = nullptr;  // *Packet or Packet (DeleteClient: HwAddress)
  DWORD size = 0;                // *PacketSize or PacketSize (DeleteClient: HwAddressLength)
  Bytes bytes;                   // a copy of [packet, packet + size)
  std::optional<DHCP_SERVER_OPTIONS> options;  // HandleOptions: the struct as filled
  DWORD delete_reserved = 0;                   // DeleteClient's Reserved DWORD
  DWORD client_type = 0;                       // DeleteClient's ClientType
  BOOL process_it = TRUE;                      // NewPkt: *ProcessIt on entry
  std::uint64_t packet_number = 0;             // how many NewPkt calls came before or with this one

  // "NewPkt", "PktDrop(PROCESSED)", "PktSend(SEND_PACKET)", "AddressOffer(NEW)",
  // "AddressDel(CONFLICT)", "HandleOptions", "DeleteClient", "Control(PAUSE)".
  std::string name() const;
};

class RecordingHooks final : public loader::CalloutHooks {
 public:
  // Scripts, run after the call is recorded; each may change what the
  // pointers it gets point at. `number` is the 1-based packet number (NewPkt
  // calls so far).
  std::function<void(std::uint64_t number, BYTE** packet, DWORD* size, void** context,
                     BOOL* process_it)>
      on_new_pkt;
  std::function<void(std::uint64_t number, BYTE** packet, DWORD* size, DWORD code)> on_pkt_drop;
  std::function<void(std::uint64_t number, BYTE** packet, DWORD* size)> on_pkt_send;
  std::function<void(std::uint64_t number, BYTE* packet, DWORD size, DHCP_SERVER_OPTIONS* options)>
      on_handle_options;
  std::function<void(std::uint64_t number, BYTE* packet, DWORD size, DWORD code)> on_address_del;
  std::function<void(std::uint64_t number, BYTE* packet, DWORD size, DWORD code)> on_address_offer;

  // Calls of these hooks come back with a Fault set (after their script ran).
  std::set<loader::Hook> faulting;
  // guarded() calls the function; while this is set it reports a fault
  // instead, as a wild pointer read under the trap would.
  bool guarded_faults = false;

  const std::vector<RecordedCall>& calls() const { return calls_; }
  std::vector<RecordedCall> calls_since(std::size_t mark) const;
  std::uint64_t packets() const { return packets_; }

  bool has(loader::Hook) const override { return true; }
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
  using loader::CalloutHooks::guarded;

 private:
  RecordedCall& record(loader::Hook hook, DWORD code, const BYTE* packet, DWORD size);
  loader::HookCall result(loader::Hook hook) const;

  std::vector<RecordedCall> calls_;
  std::uint64_t packets_ = 0;
};

// The names of `calls`, in order.
std::vector<std::string> names(const std::vector<RecordedCall>& calls);

}  // namespace calloutemu::server::testing
