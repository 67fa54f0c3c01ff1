// The host's half of a hook call: the request rebuilt as the arguments the
// callout gets, in the host's own memory (a slot per packet in flight: its
// Reserved, its receive and send buffers), the call made under the trap and
// timed, and what it changed written as the reply (PROTOCOL.md "Hook calls").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/checked_hooks.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_clock.h"
#include "host_hook_wire.h"
#include "host_process.h"

namespace calloutemu::loader::host {

// A buffer of the callout's that the client knows by its address here.
struct KnownBuffer {
  BYTE* address = nullptr;
  std::size_t length = 0;  // the bytes last sent of it
};

// One packet in flight. Its address is the packet's Reserved.
struct Slot {
  std::array<BYTE, kPacketBufferSize> receive{};
  std::array<BYTE, kPacketBufferSize> send{};
  std::vector<KnownBuffer> buffers;
  bool released = false;
};

// The client's Reserved values map 1:1 to slots, so the callout sees the
// server's pattern of Reserved values: the same for every hook of a packet,
// different between packets in flight, reused when the server reuses one.
// A released slot stays with its Reserved value; only when kKeptReleased
// are idle does a value the table has not seen take one (oldest first).
//
// The lanes' threads share it: a packet's hooks may run on any of them, one
// after the other (the client orders them).
class SlotTable {
 public:
  // The slot for the client's Reserved value; `fresh` (NewPkt) starts a new
  // packet there.
  Slot& get(std::uint64_t reserved, bool fresh);
  // After the packet's last hook.
  void release(std::uint64_t reserved);
  // After each call on a slot. The client orders the calls of a packet
  // through the channel, which a thread checker cannot see; this lock makes
  // what one lane's thread wrote in the slot (and what the callout wrote for
  // the packet) happen, visibly, before the next call takes the slot.
  void hand_back() { std::lock_guard guard(mutex_); }

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, Slot*> by_reserved_;
  std::vector<std::unique_ptr<Slot>> storage_;
  static constexpr std::size_t kKeptReleased = 64;
  std::vector<std::uint64_t> released_;  // oldest first
};

// What running a hook request came to.
struct CallOutcome {
  std::optional<Fault> fault;         // the hook faulted: reply with it, then exit
  std::optional<std::string> error;   // the request is malformed: reply with the message
  std::vector<std::string> findings;  // checked mode: what the fault was
};

// What the lanes' HostCalls share.
struct SharedCalls {
  SlotTable slots;
  // Checked mode (set before the lanes' threads start): the callout gets its
  // packets in guarded buffers, and the replies carry findings.
  std::unique_ptr<CheckedBuffers> checks;
  // A hook request flagged kBreakBefore stops in a debugger before the
  // call: when one is attached, or always with this.
  bool break_always = false;
};

// One lane's calls, one at a time.
class HostCalls {
 public:
  HostCalls(FaultTrap& trap, const HookClock& clock, const NoAccessRegion& no_access,
            SharedCalls& shared)
      : trap_(trap), clock_(clock), no_access_(no_access), shared_(shared) {}

  // Runs the hook `request` asks for and writes the ok reply's body to `reply`.
  CallOutcome run(const DHCP_CALLOUT_TABLE& table, WireReader& request, WireWriter& reply);

 private:
  CallOutcome serve(const DHCP_CALLOUT_TABLE& table, WireReader& request, WireWriter& reply);
  struct Packet {
    BYTE* pointer = nullptr;
    std::size_t extent = 0;  // bytes at `pointer` option members may point into
    Where where = Where::null;
    std::uint32_t size = 0;
  };

  std::optional<std::string> take_packet(const PacketSection& section, Slot& slot);
  std::optional<Fault> call(const DHCP_CALLOUT_TABLE& table, const HookHead& head,
                            HookResult& result);
  template <class Function, class... Args>
  std::optional<Fault> timed(Function function, HookResult& result, Args... args);
  BufferCopy copy_callout_buffer(const BYTE* address, std::size_t length,
                                 std::vector<std::uint8_t>& into);
  void report_packet(const HookHead& head, Slot& slot, PacketReport& report);
  void remember(Slot& slot, BYTE* address, const BufferCopy& copy);
  void take_back_checked(const HookHead& head, std::vector<std::string>& findings);

  FaultTrap& trap_;
  const HookClock& clock_;
  const NoAccessRegion& no_access_;
  SharedCalls& shared_;
  // The call in progress.
  Slot* slot_ = nullptr;
  Packet packet_;
  BYTE* packet_after_ = nullptr;  // by reference: *Packet as the callout left it
  DWORD size_after_ = 0;
  std::array<BYTE, kPacketBufferSize> before_{};  // the slot buffer before the call
  DHCP_SERVER_OPTIONS options_{};
  std::vector<std::uint8_t> option_arena_;
  std::vector<std::uint8_t> hw_address_;
  std::vector<std::uint8_t> passed_bytes_;
  std::vector<std::uint8_t> final_bytes_;
  std::vector<std::uint8_t> option_bytes_;
  CheckedBuffers::Handed handed_;  // checked mode: the packet as the callout got it
  DHCP_SERVER_OPTIONS* options_handed_ = nullptr;
};

}  // namespace calloutemu::loader::host
