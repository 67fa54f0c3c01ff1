#include "calloutemu/loader/hook_table.h"

namespace calloutemu::loader {
namespace {

template <class Pointer>
std::uintptr_t address_of(Pointer pointer) {
  return reinterpret_cast<std::uintptr_t>(pointer);
}

}  // namespace

std::array<HookSlot, kHookSlotCount> describe_hooks(const DHCP_CALLOUT_TABLE& table) {
  return {{
      {"DhcpControlHook", address_of(table.DhcpControlHook)},
      {"DhcpNewPktHook", address_of(table.DhcpNewPktHook)},
      {"DhcpPktDropHook", address_of(table.DhcpPktDropHook)},
      {"DhcpPktSendHook", address_of(table.DhcpPktSendHook)},
      {"DhcpAddressDelHook", address_of(table.DhcpAddressDelHook)},
      {"DhcpAddressOfferHook", address_of(table.DhcpAddressOfferHook)},
      {"DhcpHandleOptionsHook", address_of(table.DhcpHandleOptionsHook)},
      {"DhcpDeleteClientHook", address_of(table.DhcpDeleteClientHook)},
      {"DhcpExtensionHook", address_of(table.DhcpExtensionHook)},
      {"DhcpReservedHook", address_of(table.DhcpReservedHook)},
  }};
}

std::string_view control_code_name(DWORD code) {
  switch (code) {
    case DHCP_CONTROL_START:
      return "START";
    case DHCP_CONTROL_STOP:
      return "STOP";
    case DHCP_CONTROL_PAUSE:
      return "PAUSE";
    case DHCP_CONTROL_CONTINUE:
      return "CONTINUE";
    default:
      return "unknown";
  }
}

}  // namespace calloutemu::loader
