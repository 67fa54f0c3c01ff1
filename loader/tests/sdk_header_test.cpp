#include "calloutemu/dhcpssdk.h"

#include <gtest/gtest.h>

#include <cstring>
#include <type_traits>

#include "sdk_header_c_test.h"

namespace {

TEST(SdkHeaderTest, CAndCppAgreeOnEveryLayout) {
  EXPECT_EQ(c_sizeof_callout_table(), sizeof(DHCP_CALLOUT_TABLE));
  EXPECT_EQ(c_sizeof_server_options(), sizeof(DHCP_SERVER_OPTIONS));
  EXPECT_EQ(c_offsetof_scope_id(), offsetof(DHCP_SERVER_OPTIONS, ScopeId));
  EXPECT_EQ(c_sizeof_wchar(), sizeof(WCHAR));
  EXPECT_EQ(c_drop_gen_failure(), static_cast<unsigned long>(DHCP_DROP_GEN_FAILURE));
}

TEST(SdkHeaderTest, ChainDllsCharactersAreUtf16CodeUnits) {
  // The same bytes on every platform: "a.dll" is 61 00 2e 00 ... in memory.
  const WCHAR name[] = {u'a', u'.', u'd', u'l', u'l', 0};
  unsigned char bytes[sizeof name];
  std::memcpy(bytes, name, sizeof name);
  EXPECT_EQ(sizeof name, 12u);
  EXPECT_EQ(bytes[0], 0x61);
  EXPECT_EQ(bytes[1], 0x00);
  EXPECT_EQ(bytes[2], 0x2e);
}

TEST(SdkHeaderTest, HookSignaturesMatchTheSpec) {
  static_assert(std::is_same_v<LPDHCP_ENTRY_POINT_FUNC,
                               DWORD(APIENTRY*)(LPWSTR, DWORD, LPDHCP_CALLOUT_TABLE)>);
  static_assert(std::is_same_v<LPDHCP_NEWPKT,
                               DWORD(APIENTRY*)(LPBYTE*, DWORD*, DWORD, LPVOID, LPVOID*, LPBOOL)>);
  static_assert(
      std::is_same_v<LPDHCP_DELETE_CLIENT, DWORD(APIENTRY*)(DWORD, LPBYTE, ULONG, DWORD, DWORD)>);
  static_assert(
      std::is_same_v<LPDHCP_GIVE_ADDRESS, DWORD(APIENTRY*)(LPBYTE, DWORD, DWORD, DWORD, DWORD,
                                                           DWORD, DWORD, LPVOID, LPVOID)>);
  EXPECT_STREQ(DHCP_CALLOUT_ENTRY_POINT, "DhcpServerCalloutEntry");
}

}  // namespace
