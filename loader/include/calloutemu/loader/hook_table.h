// The DHCP_CALLOUT_TABLE a callout returns, described for reports.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "calloutemu/dhcpssdk.h"

namespace calloutemu::loader {

struct HookSlot {
  std::string_view name;   // the member name, e.g. "DhcpNewPktHook"
  std::uintptr_t address;  // 0 when the callout left it NULL
};

inline constexpr std::size_t kHookSlotCount = 10;

// Every member of the table, in declaration order.
std::array<HookSlot, kHookSlotCount> describe_hooks(const DHCP_CALLOUT_TABLE& table);

std::string_view control_code_name(DWORD code);  // "START", ...; "unknown" otherwise
std::string_view drop_code_name(DWORD code);     // "DUPLICATE", ..., "GEN_FAILURE"; "unknown"
// The ControlCode of PktSend, AddressDel and AddressOffer and AddressOffer's
// AddrType: "SEND_PACKET", "CONFLICT", "DECLINE", "RELEASE", "NACKED",
// "NEW", "OLD", "BOOTP", "DHCP"; "unknown" otherwise.
std::string_view address_code_name(DWORD code);

}  // namespace calloutemu::loader
