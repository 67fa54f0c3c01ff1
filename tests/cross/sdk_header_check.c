/* Compiled for Windows by tests/cross: the SDK header with MinGW's <dhcpssdk.h>. */
#include "calloutemu/dhcpssdk.h"

DWORD WINAPI DhcpServerCalloutEntry(LPWSTR chain_dlls, DWORD version, LPDHCP_CALLOUT_TABLE table);

DWORD WINAPI DhcpServerCalloutEntry(LPWSTR chain_dlls, DWORD version, LPDHCP_CALLOUT_TABLE table) {
  (void)chain_dlls;
  (void)version;
  return table != NULL && DHCP_DROP_GEN_FAILURE == 0x100 ? ERROR_SUCCESS : 87;
}
