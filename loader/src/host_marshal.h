// The client's half of a hook call: the server's arguments written as a
// request, and the host's reply checked and then applied to the server's
// memory, so that pointers, buffers and DHCP_SERVER_OPTIONS look to the
// server as they would after an in-process call (PROTOCOL.md "Hook calls").
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/fault_trap.h"
#include "host_hook_wire.h"
#include "host_packets.h"
#include "host_process.h"

namespace calloutemu::loader::host {

// One hook call as the server made it. Pointers are the server's.
struct HookArgs {
  Hook hook = Hook::control;
  std::uint64_t reserved = 0;  // the server's Reserved pointer, as a number
  void* context = nullptr;     // PktContext (not NewPkt)
  std::array<std::uint32_t, kHookArguments> arguments{};
  bool has_packet = false;
  bool by_reference = false;  // NewPkt, PktDrop, PktSend: BYTE** and DWORD*
  BYTE** packet_ref = nullptr;
  DWORD* size_ref = nullptr;
  BYTE* packet = nullptr;  // by value
  DWORD size = 0;          // by value
  bool starts_packet = false;
  void** context_ref = nullptr;  // NewPkt
  BOOL* process_ref = nullptr;   // NewPkt
  DHCP_SERVER_OPTIONS* options = nullptr;
  BYTE* hw_address = nullptr;  // DeleteClient
  ULONG hw_length = 0;
  bool break_before = false;  // the host stops in a debugger before the call
};

// The packets in flight, which every lane's calls share (a packet's hooks
// may go on any lane, one after the other), and the packets that ended
// without the host seeing their end.
class SharedPackets {
 public:
  // NewPkt on `reserved`, with the server's receive buffer; `sent`: the
  // call goes to the host (which then starts the packet afresh itself).
  void start_packet(std::uint64_t reserved, BYTE* receive, bool sent);
  // After Drop(PROCESSED), `sent` to the host or not. What the packet's
  // replacements were copied into stays valid until the next start_packet()
  // on `reserved`.
  void end_packet(std::uint64_t reserved, bool sent);
  // A new host knows no packet.
  void host_restarted();

 private:
  friend class HookMarshal;
  std::mutex lock_;
  PacketTable table_;
  std::vector<std::uint64_t> ended_;
};

// One lane's calls, one at a time.
class HookMarshal {
 public:
  // `trap` guards reads of the server's memory that may fault (option
  // members and hardware addresses pointing anywhere).
  HookMarshal(FaultTrap& trap, const NoAccessRegion& no_access, SharedPackets& packets)
      : trap_(trap), no_access_(no_access), shared_(packets) {}

  // Writes the request for `call`; false when it does not fit the channel.
  bool write_request(WireWriter& out, HookArgs& call);
  // Checks the reply to the request written last and, when it is sound,
  // applies it to the server's memory; otherwise says what is wrong and
  // applies nothing.
  std::optional<std::string> apply_reply(WireReader& in, HookArgs& call, HookResult& result);

 private:
  bool copy_guarded(const void* source, std::size_t length);
  std::optional<std::string> check(const HookArgs& call, const PacketReport& report,
                                   const OptionValues& options) const;
  void apply_packet(HookArgs& call, const PacketReport& report);
  BYTE* present_callout_buffer(std::uint64_t address, const BufferCopy& copy,
                               std::uint32_t size_after);

  FaultTrap& trap_;
  const NoAccessRegion& no_access_;
  SharedPackets& shared_;
  // The call in progress.
  PacketRecord* record_ = nullptr;
  Located place_;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace calloutemu::loader::host
