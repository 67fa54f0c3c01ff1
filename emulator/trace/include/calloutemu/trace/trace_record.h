// One record of a trace (--trace FILE): what the run did, in order. The JSON
// form is described in emulator/trace/README.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::trace {

inline constexpr std::string_view kSchemaName = "calloutemu-trace";
inline constexpr std::uint64_t kSchemaVersion = 1;

enum class RecordType : std::uint8_t { header, load, hook, finding };
std::string_view to_string(RecordType type);  // "header", "load", "hook", "finding"

// The first record of every trace.
struct TraceHeader {
  std::string schema{kSchemaName};
  std::uint64_t version = kSchemaVersion;
  std::string calloutemu_version;
  std::string profile;                // "documented" or "legacy"
  std::vector<std::string> captures;  // the --pcap files, in order
  std::string decisions;              // "model", "capture" or "auto"
};

// One DLL tried while loading the chain (loader::LoadAttempt).
struct LoadEvent {
  std::string dll;
  std::string outcome;  // loader::to_string(AttemptOutcome)
  std::string reason;
  std::vector<std::string> chain_dlls;
  std::optional<std::uint32_t> entry_result;
};

// A packet as a hook saw it: its length and the FNV-1a 64 hash of its bytes.
struct PacketDigest {
  std::uint64_t length = 0;
  std::uint64_t hash = 0;
  friend bool operator==(const PacketDigest&, const PacketDigest&) = default;
};

struct FramePosition {
  std::uint64_t frame = 0;  // 1-based in its capture file
  std::uint64_t file = 0;   // which --pcap, 0-based
};

// One hook call. Optional members are absent for hooks that do not have that
// argument (see the README's table), or when the call came without arguments.
struct HookCallRecord {
  std::uint64_t sequence = 0;  // 1-based over the hook records of the run
  std::uint64_t request = 0;   // 0 outside requests
  std::optional<FramePosition> origin;
  loader::Hook hook = loader::Hook::control;
  std::optional<DWORD> code;  // control, drop or address code
  std::optional<DWORD> ip_address;
  std::optional<DWORD> alt_address;
  std::optional<DWORD> address_type;  // AddressOffer
  std::optional<DWORD> lease_time;    // AddressOffer
  std::optional<PacketDigest> packet;
  std::optional<PacketDigest> packet_after;  // only when it differs from `packet` or was replaced
  std::optional<bool> replaced;
  std::optional<bool> process_it;                       // NewPkt
  std::optional<std::vector<std::uint8_t>> hw_address;  // DeleteClient
  std::optional<DWORD> client_type;                     // DeleteClient
  // Per-run ids of the Reserved and PktContext pointers, numbered from 1 by
  // first appearance; 0 is a NULL pointer; nullopt: the hook has no such argument.
  std::optional<std::uint64_t> reserved;
  std::optional<std::uint64_t> context;
  DWORD returned = 0;
  std::optional<std::string> fault;  // the fault's description when it crashed or threw
  // Where it crashed ("crash.so+0x1139") and the stack, innermost first: they
  // change between builds, so the readable form (and --expect) leaves them out.
  std::optional<std::string> fault_location;
  std::vector<std::string> fault_backtrace;
  std::chrono::nanoseconds duration{};
};

// Misuse of the server's buffers noticed during a request.
struct Finding {
  std::uint64_t request = 0;
  std::string text;
};

// A plain struct rather than a variant so that one record can be reused for
// every call without freeing and reallocating its strings; only the member
// named by `type` is meaningful.
struct TraceRecord {
  RecordType type = RecordType::hook;
  TraceHeader header;
  LoadEvent load;
  HookCallRecord hook;
  Finding finding;
};

// The name of a hook's code ("DUPLICATE", "SEND_PACKET", "START", ...;
// "unknown" for values without one); empty for hooks that have no code.
std::string_view code_name(loader::Hook hook, DWORD code);
// The name of AddressOffer's AddrType and DeleteClient's ClientType
// ("BOOTP", "DHCP"; "unknown" otherwise).
std::string_view client_type_name(DWORD type);
// Whether `hook` is called with a control, drop or address code.
bool has_code(loader::Hook hook);
// Whether `hook` is handed the request's packet (and Reserved and PktContext).
bool has_packet(loader::Hook hook);
// The hook named `name` as to_string(Hook) spells it.
std::optional<loader::Hook> hook_from_name(std::string_view name);

std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes);
PacketDigest digest(std::span<const std::uint8_t> bytes);

}  // namespace calloutemu::trace
