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

std::string_view drop_code_name(DWORD code) {
  switch (code) {
    case DHCP_DROP_DUPLICATE:
      return "DUPLICATE";
    case DHCP_DROP_NOMEM:
      return "NOMEM";
    case DHCP_DROP_INTERNAL_ERROR:
      return "INTERNAL_ERROR";
    case DHCP_DROP_TIMEOUT:
      return "TIMEOUT";
    case DHCP_DROP_UNAUTH:
      return "UNAUTH";
    case DHCP_DROP_PAUSED:
      return "PAUSED";
    case DHCP_DROP_NO_SUBNETS:
      return "NO_SUBNETS";
    case DHCP_DROP_INVALID:
      return "INVALID";
    case DHCP_DROP_WRONG_SERVER:
      return "WRONG_SERVER";
    case DHCP_DROP_NOADDRESS:
      return "NOADDRESS";
    case DHCP_DROP_PROCESSED:
      return "PROCESSED";
    case DHCP_DROP_GEN_FAILURE:
      return "GEN_FAILURE";
    default:
      return "unknown";
  }
}

std::string_view address_code_name(DWORD code) {
  switch (code) {
    case DHCP_SEND_PACKET:
      return "SEND_PACKET";
    case DHCP_PROB_CONFLICT:
      return "CONFLICT";
    case DHCP_PROB_DECLINE:
      return "DECLINE";
    case DHCP_PROB_RELEASE:
      return "RELEASE";
    case DHCP_PROB_NACKED:
      return "NACKED";
    case DHCP_GIVE_ADDRESS_NEW:
      return "NEW";
    case DHCP_GIVE_ADDRESS_OLD:
      return "OLD";
    case DHCP_CLIENT_BOOTP:
      return "BOOTP";
    case DHCP_CLIENT_DHCP:
      return "DHCP";
    default:
      return "unknown";
  }
}

}  // namespace calloutemu::loader
