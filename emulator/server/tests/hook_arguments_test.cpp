// Spec §3 setup: Reserved, PktContext and IpAddress as each hook gets them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "calloutemu/dhcp/wire_format.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using loader::Hook;
using ::testing::Each;
using ::testing::Field;

bool packet_hook(Hook hook) {
  return hook != Hook::control && hook != Hook::delete_client;
}

// DISCOVER, REQUEST (AddressOffer), a NAKed REQUEST (AddressDel), a DUPLICATE:
// every packet hook the server calls.
void run_every_packet_hook(Harness& h) {
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100)), 0.5);
  h.send(msg::request_init_reboot(2, 0x2001, net(100)), 1.0);
  h.send(msg::request_init_reboot(2, 0x2001, net(100)), 1.2);
}

TEST(HookArguments, ReservedIsNonNullAndTheSameForEveryHookOfOnePacket) {
  Harness h;
  run_every_packet_hook(h);
  std::set<void*> per_packet;
  void* previous = nullptr;
  std::uint64_t number = 0;
  for (const auto& call : h.hooks.calls()) {
    ASSERT_TRUE(packet_hook(call.hook));
    EXPECT_NE(call.reserved, nullptr) << call.name();
    if (call.packet_number != number) {
      EXPECT_NE(call.reserved, previous) << "packet " << call.packet_number;
      number = call.packet_number;
      previous = call.reserved;
      per_packet.insert(call.reserved);
    }
    EXPECT_EQ(call.reserved, previous) << call.name() << " of packet " << call.packet_number;
  }
  EXPECT_EQ(per_packet.size(), 4u);
}

TEST(HookArguments, ReservedDiffersBetweenConsecutivePacketsOverManyPackets) {
  Harness h;
  void* previous = nullptr;
  for (std::uint8_t client = 1; client <= 40; ++client) {
    const auto handled = h.send(msg::inform(client, 0x100u + client, net(client)));
    const auto* reserved = handled.first(Hook::new_pkt).reserved;
    EXPECT_NE(reserved, previous) << "packet " << int{client};
    previous = handled.first(Hook::new_pkt).reserved;
  }
}

TEST(HookArguments, PktContextSetByNewPktComesBackInEveryLaterHook) {
  Harness h;
  static int markers[8];
  h.hooks.on_new_pkt = [](std::uint64_t number, BYTE**, DWORD*, void** context, BOOL*) {
    *context = &markers[number];
  };
  run_every_packet_hook(h);
  for (const auto& call : h.hooks.calls()) {
    if (call.hook == Hook::new_pkt) {
      EXPECT_EQ(call.context, nullptr) << "PktContext is NULL on entry";
      EXPECT_EQ(call.process_it, TRUE);
    } else {
      EXPECT_EQ(call.context, &markers[call.packet_number])
          << call.name() << " of packet " << call.packet_number;
    }
  }
}

TEST(HookArguments, PktContextIsNullForEveryHookWhenNewPktLeavesIt) {
  Harness h;
  run_every_packet_hook(h);
  EXPECT_THAT(h.hooks.calls(), Each(Field(&RecordedCall::context, nullptr)));
}

TEST(HookArguments, IpAddressIsTheServerInHostOrderForEveryHookInDocumented) {
  Harness h;
  run_every_packet_hook(h);
  std::set<Hook> seen;
  for (const auto& call : h.hooks.calls()) {
    if (call.hook == Hook::handle_options) {
      continue;  // it has no IpAddress
    }
    seen.insert(call.hook);
    EXPECT_EQ(call.ip_address, 0xC0000201u) << call.name();
  }
  EXPECT_EQ(seen, (std::set<Hook>{Hook::new_pkt, Hook::pkt_drop, Hook::pkt_send,
                                  Hook::address_offer, Hook::address_del}));
}

TEST(HookArguments, LegacySwapsIpAddressForAllButAddressOffer) {
  Harness h(model_settings(Fidelity::legacy));
  run_every_packet_hook(h);
  std::set<Hook> seen;
  for (const auto& call : h.hooks.calls()) {
    if (call.hook == Hook::handle_options) {
      continue;
    }
    seen.insert(call.hook);
    const DWORD expected = call.hook == Hook::address_offer ? 0xC0000201u : 0x010200C0u;
    EXPECT_EQ(call.ip_address, expected) << call.name();
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(HookArguments, IpAddressIsTheServerOfTheScopeTheRequestArrivedOn) {
  auto settings = model_settings();
  auto second = test_scope();
  second.name = "second";
  second.subnet = scopes::Subnet{0xC6336400, 24};  // 198.51.100.0/24
  second.server_address = kOtherServer;
  second.ranges = {scopes::AddressRange{0xC6336464, 0xC63364C7}};
  settings.config.scopes.push_back(second);
  Harness h(settings);
  // Relayed from 198.51.100.0/24.
  auto relayed = msg::discover(1, 0x1001);
  relayed[dhcp::kGiaddrOffset] = 198;
  relayed[dhcp::kGiaddrOffset + 1] = 51;
  relayed[dhcp::kGiaddrOffset + 2] = 100;
  relayed[dhcp::kGiaddrOffset + 3] = 2;
  const auto handled = h.send(relayed);
  EXPECT_EQ(handled.first(Hook::new_pkt).ip_address, kOtherServer);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), 0xC6336464u);
  // Unicast to the second scope's server address.
  const auto unicast = h.send(msg::inform(2, 0x2001, 0xC6336420), 2.0, nullptr, kOtherServer);
  EXPECT_EQ(unicast.first(Hook::new_pkt).ip_address, kOtherServer);
}

TEST(HookArguments, NewPktGetsTheDatagramAndItsSize) {
  Harness h;
  const auto bytes = msg::discover(1, 0x1001);
  const auto handled = h.send(bytes);
  const auto& call = handled.first(Hook::new_pkt);
  EXPECT_EQ(call.size, bytes.size());
  EXPECT_EQ(call.bytes, bytes);
  EXPECT_EQ(call.process_it, TRUE);
}

TEST(HookArguments, ObserverGetsEveryHookCallWithTheRequestNumber) {
  Harness h;
  run_every_packet_hook(h);
  ASSERT_EQ(h.observer.hooks.size(), h.hooks.calls().size());
  for (std::size_t i = 0; i < h.observer.hooks.size(); ++i) {
    EXPECT_EQ(h.observer.hooks[i].hook, h.hooks.calls()[i].hook);
    EXPECT_EQ(h.observer.hooks[i].code, h.hooks.calls()[i].code);
    EXPECT_EQ(h.observer.hooks[i].request, h.hooks.calls()[i].packet_number);
    EXPECT_TRUE(h.observer.hooks[i].call.called);
  }
  ASSERT_EQ(h.observer.outcomes.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(h.observer.outcomes[i].number, i + 1);
  }
}

}  // namespace
}  // namespace calloutemu::server::testing
