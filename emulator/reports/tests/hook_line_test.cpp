#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "calloutemu/reports/junit_writer.h"

namespace calloutemu::reports {
namespace {

using loader::Hook;
using loader::HookCall;

HookCall returned(DWORD value) {
  HookCall call;
  call.called = true;
  call.returned = value;
  return call;
}

server::HookRecord record(Hook hook, DWORD code, const HookCall& call,
                          const server::HookArguments* arguments = nullptr) {
  server::HookRecord result;
  result.hook = hook;
  result.code = code;
  result.request = 1;
  result.call = &call;
  result.arguments = arguments;
  return result;
}

TEST(HookLine, CodesByHook) {
  const HookCall ok = returned(0);
  EXPECT_EQ(hook_line(record(Hook::pkt_drop, DHCP_DROP_DUPLICATE, ok)), "PktDrop(DUPLICATE) -> 0");
  EXPECT_EQ(hook_line(record(Hook::control, DHCP_CONTROL_START, ok)), "Control(START) -> 0");
  EXPECT_EQ(hook_line(record(Hook::pkt_send, DHCP_SEND_PACKET, ok)), "PktSend(SEND_PACKET) -> 0");
  EXPECT_EQ(hook_line(record(Hook::address_del, DHCP_PROB_NACKED, ok)), "AddressDel(NACKED) -> 0");
  EXPECT_EQ(hook_line(record(Hook::address_offer, DHCP_GIVE_ADDRESS_NEW, ok)),
            "AddressOffer(NEW) -> 0");
  EXPECT_EQ(hook_line(record(Hook::new_pkt, 0, ok)), "NewPkt -> 0");
  EXPECT_EQ(hook_line(record(Hook::handle_options, 0, ok)), "HandleOptions -> 0");
  EXPECT_EQ(hook_line(record(Hook::delete_client, 0, ok)), "DeleteClient -> 0");
}

TEST(HookLine, UnknownCodeIsShownInHex) {
  EXPECT_EQ(hook_line(record(Hook::pkt_drop, 0x1234, returned(0))), "PktDrop(0x00001234) -> 0");
}

TEST(HookLine, NonZeroReturnShowsHexToo) {
  EXPECT_EQ(hook_line(record(Hook::pkt_send, DHCP_SEND_PACKET, returned(87))),
            "PktSend(SEND_PACKET) -> 87 (0x00000057)");
}

TEST(HookLine, Crash) {
  HookCall call;
  call.called = true;
  call.fault = loader::Fault{"SIGSEGV (address not mapped) at address 0x10", 11, 0x10};
  EXPECT_EQ(hook_line(record(Hook::address_offer, DHCP_GIVE_ADDRESS_OLD, call)),
            "AddressOffer(OLD) -> crashed: SIGSEGV (address not mapped) at address 0x10");
}

TEST(HookLine, CrashWithItsLocationAndBacktrace) {
  HookCall call;
  call.called = true;
  call.fault = loader::Fault{"SIGSEGV (address not mapped) at address 0x10", 11, 0x10};
  call.fault->location = "crash.so+0x17ff";
  call.fault->backtrace = {"crash.so+0x17ff", "crash.so+0x1300 (helper+0x20)"};
  EXPECT_EQ(hook_line(record(Hook::new_pkt, 0, call)),
            "NewPkt -> crashed: SIGSEGV (address not mapped) at address 0x10 at crash.so+0x17ff\n"
            "    #0 crash.so+0x17ff\n"
            "    #1 crash.so+0x1300 (helper+0x20)");
}

TEST(HookLine, NotCalledAndNoCall) {
  EXPECT_EQ(hook_line(record(Hook::new_pkt, 0, HookCall{})), "NewPkt -> not called");
  server::HookRecord bare;
  bare.hook = Hook::pkt_drop;
  bare.code = DHCP_DROP_PROCESSED;
  EXPECT_EQ(hook_line(bare), "PktDrop(PROCESSED)");
}

TEST(HookLine, ArgumentsWhenPresent) {
  const HookCall ok = returned(0);
  server::HookArguments new_pkt;
  new_pkt.process_it = 0;
  EXPECT_EQ(hook_line(record(Hook::new_pkt, 0, ok, &new_pkt)), "NewPkt -> 0, ProcessIt=FALSE");
  new_pkt.process_it = 1;
  EXPECT_EQ(hook_line(record(Hook::new_pkt, 0, ok, &new_pkt)), "NewPkt -> 0");

  const std::array<std::uint8_t, 300> replacement{};
  server::HookArguments replaced;
  replaced.replaced = true;
  replaced.packet_after = replacement;
  EXPECT_EQ(hook_line(record(Hook::pkt_drop, DHCP_DROP_PROCESSED, ok, &replaced)),
            "PktDrop(PROCESSED) -> 0, replaced the packet (300 bytes)");

  server::HookArguments offer;
  offer.alt_address = 0xC0000264;
  EXPECT_EQ(hook_line(record(Hook::address_offer, DHCP_GIVE_ADDRESS_NEW, ok, &offer)),
            "AddressOffer(NEW) -> 0, address 192.0.2.100");

  const std::array<std::uint8_t, 6> mac = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
  server::HookArguments client;
  client.hw_address = mac;
  EXPECT_EQ(hook_line(record(Hook::delete_client, 0, ok, &client)),
            "DeleteClient -> 0, client 02:00:5e:10:20:30");
}

}  // namespace
}  // namespace calloutemu::reports
