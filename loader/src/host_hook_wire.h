// The parts of a hook call's request and reply (PROTOCOL.md "Hook calls"),
// written by one side and read, bounds-checked, by the other. Readers return
// false on anything malformed and never read past the message.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/fault_trap.h"

#include "host_options.h"
#include "host_process.h"
#include "host_protocol.h"
#include "host_wire.h"

namespace calloutemu::loader::host {

struct HookHead {
  std::uint8_t hook = 0;
  std::uint8_t flags = 0;
  std::span<const std::uint8_t> ended;  // u64 Reserved values whose packets ended
  std::uint64_t reserved = 0;
  std::uint64_t context = 0;
  std::array<std::uint32_t, kHookArguments> arguments{};
};
void write_hook_head(WireWriter& out, const HookHead& head);
bool read_hook_head(WireReader& in, HookHead& head);
std::uint64_t ended_at(const HookHead& head, std::size_t index);

// The packet a hook is given.
struct PacketSection {
  Where where = Where::null;
  std::uint32_t size = 0;
  std::span<const std::uint8_t> bytes;  // slot: the buffer's first bytes
  std::uint64_t address = 0;            // callout
};
void write_packet_section(WireWriter& out, const PacketSection& section);
bool read_packet_section(WireReader& in, PacketSection& section);

// A callout buffer's bytes as the host copied them.
struct BufferCopy {
  BufferState state = BufferState::implausible;
  std::span<const std::uint8_t> bytes;
};
void write_buffer_copy(WireWriter& out, const BufferCopy& copy);
bool read_buffer_copy(WireReader& in, BufferCopy& copy);

// What the call did to the packet.
struct PacketReport {
  std::uint32_t size_after = 0;
  Update update = Update::none;
  std::uint32_t change_offset = 0;       // slot_changes
  std::span<const std::uint8_t> change;  // slot_changes: within kPacketBufferSize
  BufferCopy passed;                     // callout: the passed buffer now
  Final final = Final::same;
  std::uint64_t final_address = 0;  // callout
  BufferCopy final_copy;            // callout
};
void write_packet_report(WireWriter& out, const PacketReport& report);
bool read_packet_report(WireReader& in, PacketReport& report);

// DHCP_SERVER_OPTIONS on the wire, both ways.
struct MemberValue {
  Member kind = Member::null;
  std::uint32_t offset = 0;             // in_packet
  std::span<const std::uint8_t> bytes;  // bytes
};
struct OptionValues {
  OptionScalars scalars{};
  std::array<MemberValue, kOptionPointers> members{};
};
void write_options(WireWriter& out, const OptionValues& values);
bool read_options(WireReader& in, OptionValues& values);

// The members of `options` as the other side rebuilds them: those pointing
// into [base, base + extent) as offsets; others with their value's bytes,
// copied under `trap` into `scratch` (the values' spans point there), or as
// unreadable when that faults, the length is over kMaxMemberLength or the
// pointer is into `no_access`.
OptionValues capture_options(const DHCP_SERVER_OPTIONS& options, const std::uint8_t* base,
                             std::size_t extent, const NoAccessRegion& no_access, FaultTrap& trap,
                             std::vector<std::uint8_t>& scratch);
// Whether rebuild_options() would take `values`: every offset inside the
// packet buffer's `extent` (there is none when `has_base` is false), every
// byte member's value in range.
bool options_fit(const OptionValues& values, bool has_base, std::size_t extent);
// Sets `options` from `values`, which must fit: offsets into `base`, bytes
// into `arena` (resized: what it held goes), unreadable members at
// `no_access`.
void rebuild_options(DHCP_SERVER_OPTIONS& options, const OptionValues& values, std::uint8_t* base,
                     const NoAccessRegion& no_access, std::vector<std::uint8_t>& arena);

// Checked mode's findings of a call, after the rest of the reply (ok or
// fault); a reply without them has none.
void write_findings(WireWriter& out, const std::vector<std::string>& findings);
bool read_findings(WireReader& in, std::vector<std::string>& findings);

struct HookResult {
  bool called = false;
  std::uint32_t returned = 0;
  std::uint64_t duration_ns = 0;
  std::uint64_t context_after = 0;  // NewPkt
  std::uint32_t process_after = 0;  // NewPkt
};
void write_hook_result(WireWriter& out, const HookResult& result);
bool read_hook_result(WireReader& in, HookResult& result);

}  // namespace calloutemu::loader::host
