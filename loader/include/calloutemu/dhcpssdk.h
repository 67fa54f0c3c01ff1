/*
 * calloutemu portable DHCP Server callout SDK.
 *
 * Include this instead of <dhcpssdk.h>: on Windows it is <windows.h> plus the
 * system <dhcpssdk.h>; elsewhere it declares the same types, constants,
 * signatures and layouts, so one callout source builds as a Windows DLL and as
 * a shared library for calloutemu. LPWSTR is UTF-16 (char16_t) everywhere, so
 * ChainDlls has the same bytes on every platform.
 */
#ifndef CALLOUTEMU_DHCPSSDK_H
#define CALLOUTEMU_DHCPSSDK_H

#include <stddef.h>

#if defined(_WIN32)

/* <dhcpssdk.h> needs the types <windows.h> declares: keep this order. */
// clang-format off
#include <windows.h>
#include <dhcpssdk.h>
// clang-format on
#ifndef DHCP_INFINIT_LEASE
#define DHCP_INFINIT_LEASE 0xFFFFFFFF
#endif

#else /* !_WIN32 */

#include <stdint.h>
#ifndef __cplusplus
#include <uchar.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* x86 Windows uses stdcall; on 64-bit platforms WINAPI is the platform ABI. */
#if defined(__i386__)
#define CALLOUTEMU_WINAPI __attribute__((stdcall))
#else
#define CALLOUTEMU_WINAPI
#endif
#ifndef WINAPI
#define WINAPI CALLOUTEMU_WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK WINAPI
#endif
#ifndef UNALIGNED
#define UNALIGNED
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif

/* Windows is LLP64: DWORD and ULONG are 32 bits on every platform. */
typedef uint8_t BYTE;
typedef BYTE* LPBYTE;
typedef uint8_t BOOLEAN;
typedef int32_t BOOL;
typedef BOOL* LPBOOL;
typedef uint32_t DWORD;
typedef DWORD* LPDWORD;
typedef uint32_t ULONG;
typedef char CHAR;
typedef void* LPVOID;
typedef char16_t WCHAR;
typedef WCHAR* LPWSTR;
typedef const WCHAR* LPCWSTR;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif

typedef DWORD DHCP_IP_ADDRESS;

typedef struct _DHCP_SERVER_OPTIONS {
  BYTE* MessageType;
  DHCP_IP_ADDRESS UNALIGNED* SubnetMask;
  DHCP_IP_ADDRESS UNALIGNED* RequestedAddress;
  DWORD UNALIGNED* RequestLeaseTime;
  BYTE* OverlayFields;
  DHCP_IP_ADDRESS UNALIGNED* RouterAddress;
  DHCP_IP_ADDRESS UNALIGNED* Server;
  BYTE* ParameterRequestList;
  DWORD ParameterRequestListLength;
  CHAR* MachineName;
  DWORD MachineNameLength;
  BYTE ClientHardwareAddressType;
  BYTE ClientHardwareAddressLength;
  BYTE* ClientHardwareAddress;
  CHAR* ClassIdentifier;
  DWORD ClassIdentifierLength;
  BYTE* VendorClass;
  DWORD VendorClassLength;
  DWORD DNSFlags;
  DWORD DNSNameLength;
  LPBYTE DNSName;
  BOOLEAN DSDomainNameRequested;
  CHAR* DSDomainName;
  DWORD DSDomainNameLen;
  DWORD UNALIGNED* ScopeId;
} DHCP_SERVER_OPTIONS, *LPDHCP_SERVER_OPTIONS;

#define DHCP_CONTROL_START 0x00000001
#define DHCP_CONTROL_STOP 0x00000002
#define DHCP_CONTROL_PAUSE 0x00000003
#define DHCP_CONTROL_CONTINUE 0x00000004

#define DHCP_DROP_DUPLICATE 0x00000001
#define DHCP_DROP_NOMEM 0x00000002
#define DHCP_DROP_INTERNAL_ERROR 0x00000003
#define DHCP_DROP_TIMEOUT 0x00000004
#define DHCP_DROP_UNAUTH 0x00000005
#define DHCP_DROP_PAUSED 0x00000006
#define DHCP_DROP_NO_SUBNETS 0x00000007
#define DHCP_DROP_INVALID 0x00000008
#define DHCP_DROP_WRONG_SERVER 0x00000009
#define DHCP_DROP_NOADDRESS 0x0000000A
#define DHCP_DROP_PROCESSED 0x0000000B
#define DHCP_DROP_GEN_FAILURE 0x00000100

#define DHCP_SEND_PACKET 0x10000000

#define DHCP_PROB_CONFLICT 0x20000001
#define DHCP_PROB_DECLINE 0x20000002
#define DHCP_PROB_RELEASE 0x20000003
#define DHCP_PROB_NACKED 0x20000004

#define DHCP_GIVE_ADDRESS_NEW 0x30000001
#define DHCP_GIVE_ADDRESS_OLD 0x30000002
#define DHCP_CLIENT_BOOTP 0x30000003
#define DHCP_CLIENT_DHCP 0x30000004

#define DHCP_CALLOUT_LIST_KEY u"System\\CurrentControlSet\\Services\\DHCPServer\\Parameters"
#define DHCP_CALLOUT_LIST_VALUE u"CalloutDlls"
#define DHCP_CALLOUT_LIST_TYPE 7 /* REG_MULTI_SZ */
#define DHCP_CALLOUT_ENTRY_POINT "DhcpServerCalloutEntry"
#define DHCP_CALLOUT_ENABLED_VALUE u"CalloutEnabled"
#define DHCP_CALLOUT_ENABLED_TYPE 4 /* REG_DWORD */
#define DHCP_INFINIT_LEASE 0xFFFFFFFF

typedef DWORD(APIENTRY* LPDHCP_CONTROL)(DWORD dwControlCode, LPVOID lpReserved);
typedef DWORD(APIENTRY* LPDHCP_NEWPKT)(LPBYTE* Packet, DWORD* PacketSize, DWORD IpAddress,
                                       LPVOID Reserved, LPVOID* PktContext, LPBOOL ProcessIt);
typedef DWORD(APIENTRY* LPDHCP_DROP_SEND)(LPBYTE* Packet, DWORD* PacketSize, DWORD ControlCode,
                                          DWORD IpAddress, LPVOID Reserved, LPVOID PktContext);
typedef DWORD(APIENTRY* LPDHCP_PROB)(LPBYTE Packet, DWORD PacketSize, DWORD ControlCode,
                                     DWORD IpAddress, DWORD AltAddress, LPVOID Reserved,
                                     LPVOID PktContext);
typedef DWORD(APIENTRY* LPDHCP_GIVE_ADDRESS)(LPBYTE Packet, DWORD PacketSize, DWORD ControlCode,
                                             DWORD IpAddress, DWORD AltAddress, DWORD AddrType,
                                             DWORD LeaseTime, LPVOID Reserved, LPVOID PktContext);
typedef DWORD(APIENTRY* LPDHCP_HANDLE_OPTIONS)(LPBYTE Packet, DWORD PacketSize, LPVOID Reserved,
                                               LPVOID PktContext,
                                               LPDHCP_SERVER_OPTIONS ServerOptions);
typedef DWORD(APIENTRY* LPDHCP_DELETE_CLIENT)(DWORD IpAddress, LPBYTE HwAddress,
                                              ULONG HwAddressLength, DWORD Reserved,
                                              DWORD ClientType);

typedef struct _DHCP_CALLOUT_TABLE {
  LPDHCP_CONTROL DhcpControlHook;
  LPDHCP_NEWPKT DhcpNewPktHook;
  LPDHCP_DROP_SEND DhcpPktDropHook;
  LPDHCP_DROP_SEND DhcpPktSendHook;
  LPDHCP_PROB DhcpAddressDelHook;
  LPDHCP_GIVE_ADDRESS DhcpAddressOfferHook;
  LPDHCP_HANDLE_OPTIONS DhcpHandleOptionsHook;
  LPDHCP_DELETE_CLIENT DhcpDeleteClientHook;
  LPVOID DhcpExtensionHook;
  LPVOID DhcpReservedHook;
} DHCP_CALLOUT_TABLE, *LPDHCP_CALLOUT_TABLE;

typedef DWORD(APIENTRY* LPDHCP_ENTRY_POINT_FUNC)(LPWSTR ChainDlls, DWORD CalloutVersion,
                                                 LPDHCP_CALLOUT_TABLE CalloutTbl);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* _WIN32 */

/*
 * The layouts the server relies on, pinned for every build (the system header
 * included). Offsets are those of x64 (LP64/LLP64) and x86 (ILP32).
 */
#ifdef __cplusplus
#define CALLOUTEMU_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define CALLOUTEMU_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define CALLOUTEMU_PTR_SIZE_IS(n) (sizeof(void*) == (n))
#define CALLOUTEMU_OFFSET_IS(type, member, x64, x86)                                              \
  CALLOUTEMU_STATIC_ASSERT(offsetof(type, member) == (CALLOUTEMU_PTR_SIZE_IS(8) ? (x64) : (x86)), \
                           #type "." #member)

CALLOUTEMU_STATIC_ASSERT(sizeof(void*) == 8 || sizeof(void*) == 4, "32- or 64-bit pointers");
CALLOUTEMU_STATIC_ASSERT(sizeof(DWORD) == 4 && sizeof(ULONG) == 4 && sizeof(BOOL) == 4,
                         "Windows integer sizes");
CALLOUTEMU_STATIC_ASSERT(sizeof(BYTE) == 1 && sizeof(BOOLEAN) == 1, "Windows byte sizes");
CALLOUTEMU_STATIC_ASSERT(sizeof(WCHAR) == 2, "LPWSTR is UTF-16");

CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpControlHook, 0, 0);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpNewPktHook, 8, 4);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpPktDropHook, 16, 8);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpPktSendHook, 24, 12);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpAddressDelHook, 32, 16);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpAddressOfferHook, 40, 20);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpHandleOptionsHook, 48, 24);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpDeleteClientHook, 56, 28);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpExtensionHook, 64, 32);
CALLOUTEMU_OFFSET_IS(DHCP_CALLOUT_TABLE, DhcpReservedHook, 72, 36);
CALLOUTEMU_STATIC_ASSERT(sizeof(DHCP_CALLOUT_TABLE) == (CALLOUTEMU_PTR_SIZE_IS(8) ? 80 : 40),
                         "sizeof(DHCP_CALLOUT_TABLE)");

CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, MessageType, 0, 0);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, SubnetMask, 8, 4);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, RequestedAddress, 16, 8);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, RequestLeaseTime, 24, 12);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, OverlayFields, 32, 16);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, RouterAddress, 40, 20);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, Server, 48, 24);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ParameterRequestList, 56, 28);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ParameterRequestListLength, 64, 32);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, MachineName, 72, 36);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, MachineNameLength, 80, 40);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ClientHardwareAddressType, 84, 44);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ClientHardwareAddressLength, 85, 45);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ClientHardwareAddress, 88, 48);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ClassIdentifier, 96, 52);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ClassIdentifierLength, 104, 56);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, VendorClass, 112, 60);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, VendorClassLength, 120, 64);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DNSFlags, 124, 68);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DNSNameLength, 128, 72);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DNSName, 136, 76);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DSDomainNameRequested, 144, 80);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DSDomainName, 152, 84);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, DSDomainNameLen, 160, 88);
CALLOUTEMU_OFFSET_IS(DHCP_SERVER_OPTIONS, ScopeId, 168, 92);
CALLOUTEMU_STATIC_ASSERT(sizeof(DHCP_SERVER_OPTIONS) == (CALLOUTEMU_PTR_SIZE_IS(8) ? 176 : 96),
                         "sizeof(DHCP_SERVER_OPTIONS)");

CALLOUTEMU_STATIC_ASSERT(DHCP_DROP_GEN_FAILURE == 0x100, "DHCP_DROP_GEN_FAILURE is 0x100");
CALLOUTEMU_STATIC_ASSERT(DHCP_DROP_PROCESSED == 0xB, "DHCP_DROP_PROCESSED is 0xB");

#endif /* CALLOUTEMU_DHCPSSDK_H */
