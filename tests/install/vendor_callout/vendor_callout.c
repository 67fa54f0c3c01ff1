/* The smallest callout a vendor writes against the installed SDK header. */
#include <calloutemu/dhcpssdk.h>

static DWORD WINAPI on_control(DWORD code, LPVOID reserved) {
  (void)reserved;
  return code == DHCP_CONTROL_START || code == DHCP_CONTROL_STOP ? ERROR_SUCCESS : 1;
}

__attribute__((visibility("default"))) DWORD WINAPI
DhcpServerCalloutEntry(LPWSTR chain_dlls, DWORD version, LPDHCP_CALLOUT_TABLE table) {
  (void)chain_dlls;
  if (version != 0) {
    return 1;
  }
  table->DhcpControlHook = on_control;
  return ERROR_SUCCESS;
}
