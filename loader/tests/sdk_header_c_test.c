/* The SDK header must compile as C, with the same layout as in C++. */
#include "calloutemu/dhcpssdk.h"

#include "sdk_header_c_test.h"

size_t c_sizeof_callout_table(void) {
  return sizeof(DHCP_CALLOUT_TABLE);
}
size_t c_sizeof_server_options(void) {
  return sizeof(DHCP_SERVER_OPTIONS);
}
size_t c_offsetof_scope_id(void) {
  return offsetof(DHCP_SERVER_OPTIONS, ScopeId);
}
size_t c_sizeof_wchar(void) {
  return sizeof(WCHAR);
}
unsigned long c_drop_gen_failure(void) {
  return DHCP_DROP_GEN_FAILURE;
}
