/*
 * A callout for the callout host's tests: what it does with a packet is
 * chosen by the packet's first byte, so one loaded copy covers every case.
 *
 * NewPkt, by the first byte:
 *   'R'  replaces *Packet with a buffer of its own: "REPLACED" then the packet
 *   'N'  sets *Packet to NULL
 *   'U'  sets *Packet to an unreadable address, *PacketSize to 100
 *   'Z'  replaces *Packet with a buffer of its own and *PacketSize with 0
 *   'W'  writes 0xAB ten bytes past *PacketSize, in the buffer it was given
 *   'X'  faults
 * PktSend: 'W' writes 0xCD five bytes past *PacketSize; 'G' appends "!!".
 * HandleOptions, when the packet starts with 'O': sets the SubnetMask it
 * points at to 255.255.255.0, points MachineName at its own "edited-name",
 * ClassIdentifier at an unreadable address, RequestedAddress to NULL, and
 * ClientHardwareAddressType to 7.
 * AddressOffer and AddressDel return a bit mask of what they recognise:
 *   1  PktContext is the state NewPkt stored for this packet
 *   2  Reserved is the one NewPkt saw
 *   4  Packet is the buffer NewPkt saw or its replacement
 * Control: 0x99 returns the process id; 0x98 sleeps two seconds; 0x97 waits
 * up to five seconds for a second 0x97 call to be running at the same time,
 * and returns 1 when it met one (both then return 1), else 0.
 * PktDrop(PROCESSED) frees what NewPkt allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calloutemu/dhcpssdk.h"

#if defined(_WIN32)
#define TEST_CALLOUT_EXPORT __declspec(dllexport)
#define test_process_id() ((DWORD)GetCurrentProcessId())
#define test_sleep_two_seconds() Sleep(2000)
#define test_sleep_a_millisecond() Sleep(1)
#else
#include <unistd.h>
#define TEST_CALLOUT_EXPORT __attribute__((visibility("default")))
#define test_process_id() ((DWORD)getpid())
#define test_sleep_two_seconds() sleep(2)
#define test_sleep_a_millisecond() usleep(1000)
#endif

static volatile uintptr_t g_invalid_address = 0x10;
static char g_edited_name[] = "edited-name";

typedef struct packet_state {
  BYTE* packet;
  void* reserved;
  BYTE* replacement;
} packet_state;

static unsigned g_meetings;

/* Two calls meet when both are in here at once: the count goes from an odd
 * number (one waiting) to the next even one. */
static DWORD meet_another_call(void) {
  const unsigned arrived = __atomic_add_fetch(&g_meetings, 1, __ATOMIC_SEQ_CST);
  const unsigned met = arrived % 2 == 1 ? arrived + 1 : arrived;
  for (int waited = 0; waited < 5000; ++waited) {
    if (__atomic_load_n(&g_meetings, __ATOMIC_SEQ_CST) >= met) {
      return 1;
    }
    test_sleep_a_millisecond();
  }
  return 0;
}

static DWORD WINAPI on_control(DWORD ControlCode, LPVOID Reserved) {
  (void)Reserved;
  if (ControlCode == 0x97) {
    return meet_another_call();
  }
  if (ControlCode == 0x99) {
    return test_process_id();
  }
  if (ControlCode == 0x98) {
    test_sleep_two_seconds();
  }
  return 0;
}

static BYTE* replace(packet_state* state, const BYTE* packet, DWORD size, DWORD* new_size) {
  static const char kPrefix[] = "REPLACED";
  const DWORD prefix = (DWORD)(sizeof kPrefix - 1);
  state->replacement = (BYTE*)malloc(size + prefix);
  if (state->replacement == NULL) {
    return NULL;
  }
  memcpy(state->replacement, kPrefix, prefix);
  memcpy(state->replacement + prefix, packet, size);
  *new_size = size + prefix;
  return state->replacement;
}

static DWORD WINAPI on_new_packet(LPBYTE* Packet, DWORD* PacketSize, DWORD IpAddress,
                                  LPVOID Reserved, LPVOID* PktContext, LPBOOL ProcessIt) {
  (void)IpAddress;
  (void)ProcessIt;
  packet_state* state = (packet_state*)calloc(1, sizeof *state);
  if (state == NULL || Packet == NULL || *Packet == NULL || PacketSize == NULL) {
    free(state);
    return 1;
  }
  state->packet = *Packet;
  state->reserved = Reserved;
  *PktContext = state;
  const BYTE* packet = *Packet;
  const DWORD size = *PacketSize;
  switch (size > 0 ? packet[0] : 0) {
    case 'R': {
      DWORD new_size = 0;
      BYTE* replacement = replace(state, packet, size, &new_size);
      if (replacement != NULL) {
        *Packet = replacement;
        *PacketSize = new_size;
      }
      break;
    }
    case 'N':
      *Packet = NULL;
      break;
    case 'U':
      *Packet = (BYTE*)g_invalid_address;
      *PacketSize = 100;
      break;
    case 'Z': {
      DWORD new_size = 0;
      BYTE* replacement = replace(state, packet, size, &new_size);
      if (replacement != NULL) {
        *Packet = replacement;
        *PacketSize = 0;
      }
      break;
    }
    case 'W':
      (*Packet)[size + 10] = 0xAB;
      break;
    case 'X':
      *(volatile int*)g_invalid_address = 1;
      break;
    default:
      break;
  }
  return 0;
}

static DWORD WINAPI on_drop(LPBYTE* Packet, DWORD* PacketSize, DWORD ControlCode, DWORD IpAddress,
                            LPVOID Reserved, LPVOID PktContext) {
  (void)Packet;
  (void)PacketSize;
  (void)IpAddress;
  (void)Reserved;
  if (ControlCode == DHCP_DROP_PROCESSED && PktContext != NULL) {
    packet_state* state = (packet_state*)PktContext;
    free(state->replacement);
    free(state);
  }
  return 0;
}

static DWORD WINAPI on_send(LPBYTE* Packet, DWORD* PacketSize, DWORD ControlCode, DWORD IpAddress,
                            LPVOID Reserved, LPVOID PktContext) {
  (void)ControlCode;
  (void)IpAddress;
  (void)Reserved;
  (void)PktContext;
  BYTE* packet = *Packet;
  const DWORD size = *PacketSize;
  if (size == 0) {
    return 0;
  }
  if (packet[0] == 'W') {
    packet[size + 5] = 0xCD;
  } else if (packet[0] == 'G') {
    packet[size] = '!';
    packet[size + 1] = '!';
    *PacketSize = size + 2;
  }
  return 0;
}

static DWORD recognise(const BYTE* Packet, LPVOID Reserved, LPVOID PktContext) {
  const packet_state* state = (const packet_state*)PktContext;
  if (state == NULL) {
    return 0;
  }
  DWORD seen = 1;
  if (Reserved == state->reserved) {
    seen |= 2;
  }
  if (Packet == state->packet || (Packet != NULL && Packet == state->replacement)) {
    seen |= 4;
  }
  return seen;
}

static DWORD WINAPI on_address_delete(LPBYTE Packet, DWORD PacketSize, DWORD ControlCode,
                                      DWORD IpAddress, DWORD AltAddress, LPVOID Reserved,
                                      LPVOID PktContext) {
  (void)PacketSize;
  (void)ControlCode;
  (void)IpAddress;
  (void)AltAddress;
  return recognise(Packet, Reserved, PktContext);
}

static DWORD WINAPI on_address_offer(LPBYTE Packet, DWORD PacketSize, DWORD ControlCode,
                                     DWORD IpAddress, DWORD AltAddress, DWORD AddrType,
                                     DWORD LeaseTime, LPVOID Reserved, LPVOID PktContext) {
  (void)PacketSize;
  (void)ControlCode;
  (void)IpAddress;
  (void)AltAddress;
  (void)AddrType;
  (void)LeaseTime;
  return recognise(Packet, Reserved, PktContext);
}

static DWORD WINAPI on_handle_options(LPBYTE Packet, DWORD PacketSize, LPVOID Reserved,
                                      LPVOID PktContext, LPDHCP_SERVER_OPTIONS ServerOptions) {
  (void)Reserved;
  (void)PktContext;
  if (PacketSize == 0 || Packet[0] != 'O' || ServerOptions == NULL) {
    return 0;
  }
  if (ServerOptions->SubnetMask != NULL) {
    BYTE* mask = (BYTE*)ServerOptions->SubnetMask;
    mask[0] = 255;
    mask[1] = 255;
    mask[2] = 255;
    mask[3] = 0;
  }
  ServerOptions->MachineName = g_edited_name;
  ServerOptions->MachineNameLength = (DWORD)strlen(g_edited_name);
  ServerOptions->ClassIdentifier = (CHAR*)g_invalid_address;
  ServerOptions->ClassIdentifierLength = 5;
  ServerOptions->RequestedAddress = NULL;
  ServerOptions->ClientHardwareAddressType = 7;
  return 0;
}

static DWORD WINAPI on_delete_client(DWORD IpAddress, LPBYTE HwAddress, ULONG HwAddressLength,
                                     DWORD Reserved, DWORD ClientType) {
  (void)IpAddress;
  (void)Reserved;
  (void)ClientType;
  DWORD sum = 0;
  for (ULONG i = 0; i < HwAddressLength; ++i) {
    sum += HwAddress[i];
  }
  return sum;
}

TEST_CALLOUT_EXPORT DWORD WINAPI DhcpServerCalloutEntry(LPWSTR ChainDlls, DWORD CalloutVersion,
                                                        LPDHCP_CALLOUT_TABLE CalloutTbl) {
  (void)ChainDlls;
  (void)CalloutVersion;
  if (CalloutTbl == NULL) {
    return 87;
  }
  CalloutTbl->DhcpControlHook = on_control;
  CalloutTbl->DhcpNewPktHook = on_new_packet;
  CalloutTbl->DhcpPktDropHook = on_drop;
  CalloutTbl->DhcpPktSendHook = on_send;
  CalloutTbl->DhcpAddressDelHook = on_address_delete;
  CalloutTbl->DhcpAddressOfferHook = on_address_offer;
  CalloutTbl->DhcpHandleOptionsHook = on_handle_options;
  CalloutTbl->DhcpDeleteClientHook = on_delete_client;
  return 0;
}
