// Spec §3 setup: Reserved, PktContext and IpAddress as each hook gets them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

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

// What an observer asking for arguments copies out of each record.
struct CopiedArguments {
  loader::Hook hook = loader::Hook::control;
  Bytes packet;
  Bytes packet_after;
  bool replaced = false;
  DWORD ip_address = 0;
  DWORD alt_address = 0;
  DWORD address_type = 0;
  DWORD lease_time = 0;
  const void* reserved = nullptr;
  const void* context = nullptr;
  std::optional<BOOL> process_it;
  Bytes hw_address;
  DWORD client_type = 0;
  const CaptureOrigin* origin = nullptr;
};

class ArgumentsObserver final : public ServerObserver {
 public:
  bool wants_arguments() const override { return true; }
  void hook_called(const HookRecord& record) override {
    ASSERT_NE(record.arguments, nullptr);
    const auto& a = *record.arguments;
    copies.push_back({record.hook, Bytes(a.packet.begin(), a.packet.end()),
                      Bytes(a.packet_after.begin(), a.packet_after.end()), a.replaced, a.ip_address,
                      a.alt_address, a.address_type, a.lease_time, a.reserved, a.context,
                      a.process_it, Bytes(a.hw_address.begin(), a.hw_address.end()), a.client_type,
                      record.origin});
  }
  std::vector<CopiedArguments> copies;
};

// `datagram` as the run's first request, broadcast.
void process_first(DhcpServer& server, const Bytes& datagram) {
  Request request;
  request.number = 1;
  request.destination_address = kBroadcast;
  request.payload = datagram;
  server.process(request, nullptr);
}

TEST(HookArguments, ObserversAskingForArgumentsGetWhatEachHookWasCalledWith) {
  RecordingHooks hooks;
  ArgumentsObserver observer;
  DhcpServer server(model_settings(), hooks, observer);
  int marker = 0;
  hooks.on_new_pkt = [&](std::uint64_t, BYTE**, DWORD*, void** context, BOOL*) {
    *context = &marker;
  };
  const std::vector<Bytes> datagrams = {msg::discover(1, 0x1001),
                                        msg::request_selecting(1, 0x1001, net(100))};
  std::vector<Request> requests(datagrams.size());
  for (std::size_t i = 0; i < datagrams.size(); ++i) {
    requests[i].number = i + 1;
    requests[i].origin.frame_number = 10 + i;
    requests[i].origin.time = at(static_cast<double>(i));
    requests[i].destination_address = kBroadcast;
    requests[i].payload = datagrams[i];
    server.process(requests[i], nullptr);
  }
  ASSERT_EQ(observer.copies.size(), hooks.calls().size());
  for (std::size_t i = 0; i < observer.copies.size(); ++i) {
    const auto& copy = observer.copies[i];
    const auto& call = hooks.calls()[i];
    SCOPED_TRACE(call.name());
    EXPECT_EQ(copy.hook, call.hook);
    EXPECT_EQ(copy.packet, call.bytes);
    EXPECT_EQ(copy.packet_after, call.bytes);  // the fake changes no bytes
    EXPECT_FALSE(copy.replaced);
    EXPECT_EQ(copy.ip_address, call.ip_address);
    EXPECT_EQ(copy.alt_address, call.alt_address);
    EXPECT_EQ(copy.address_type, call.address_type);
    EXPECT_EQ(copy.lease_time, call.lease_time);
    EXPECT_EQ(copy.reserved, call.reserved);
    EXPECT_EQ(copy.context, &marker);  // NewPkt's as it set it, then as handed on
    EXPECT_EQ(copy.process_it.has_value(), call.hook == Hook::new_pkt);
    ASSERT_NE(copy.origin, nullptr);
    EXPECT_EQ(copy.origin->frame_number, 9 + call.packet_number);
  }
  EXPECT_EQ(observer.copies.back().hook, Hook::pkt_drop);
  EXPECT_TRUE(std::any_of(observer.copies.begin(), observer.copies.end(),
                          [](const auto& copy) { return copy.hook == Hook::pkt_send; }));
}

TEST(HookArguments, ArgumentsShowAReplacedPacketAndItsNewBytes) {
  RecordingHooks hooks;
  ArgumentsObserver observer;
  DhcpServer server(model_settings(), hooks, observer);
  Bytes replacement = msg::discover(7, 0x7007);
  hooks.on_new_pkt = [&](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
  };
  const Bytes datagram = msg::discover(1, 0x1001);
  process_first(server, datagram);
  ASSERT_GE(observer.copies.size(), 2u);
  EXPECT_EQ(observer.copies[0].packet, datagram);
  EXPECT_EQ(observer.copies[0].packet_after, replacement);
  EXPECT_TRUE(observer.copies[0].replaced);
  EXPECT_EQ(observer.copies[1].packet, replacement);  // what the next hook got
}

// Copying a packet for the observers reads the server's own buffer directly
// (it cannot fault) and anything else under the trap: here every trapped
// read faults, as a wild pointer's would.
TEST(HookArguments, APacketInTheServersBufferIsCopiedWithoutTheTrap) {
  RecordingHooks hooks;
  hooks.guarded_faults = true;
  ArgumentsObserver observer;
  DhcpServer server(model_settings(), hooks, observer);
  const Bytes datagram = msg::discover(1, 0x1001);
  process_first(server, datagram);
  ASSERT_EQ(observer.copies.size(), hooks.calls().size());
  for (std::size_t i = 0; i < observer.copies.size(); ++i) {
    SCOPED_TRACE(hooks.calls()[i].name());
    EXPECT_EQ(observer.copies[i].packet, hooks.calls()[i].bytes);
    EXPECT_EQ(observer.copies[i].packet_after, hooks.calls()[i].bytes);
  }
}

TEST(HookArguments, AReplacementIsCopiedUnderTheTrap) {
  RecordingHooks hooks;
  ArgumentsObserver observer;
  DhcpServer server(model_settings(), hooks, observer);
  Bytes replacement = msg::discover(7, 0x7007);
  hooks.on_new_pkt = [&](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
    hooks.guarded_faults = true;  // from now on every trapped read faults
  };
  const Bytes datagram = msg::discover(1, 0x1001);
  process_first(server, datagram);
  ASSERT_GE(observer.copies.size(), 1u);
  EXPECT_EQ(observer.copies[0].packet, datagram);
  EXPECT_TRUE(observer.copies[0].replaced);
  EXPECT_TRUE(observer.copies[0].packet_after.empty()) << "read without the trap";
}

// PacketSize past the end of the server's buffer: what lies after it is not
// the server's to read without the trap.
TEST(HookArguments, ASizePastTheServersBufferIsCopiedUnderTheTrap) {
  RecordingHooks hooks;
  ArgumentsObserver observer;
  DhcpServer server(model_settings(), hooks, observer);
  hooks.on_new_pkt = [&](std::uint64_t, BYTE**, DWORD* size, void**, BOOL*) {
    *size = 60000;
    hooks.guarded_faults = true;
  };
  const Bytes datagram = msg::discover(1, 0x1001);
  process_first(server, datagram);
  ASSERT_GE(observer.copies.size(), 1u);
  EXPECT_FALSE(observer.copies[0].replaced);
  EXPECT_TRUE(observer.copies[0].packet_after.empty()) << "read without the trap";
}

TEST(HookArguments, ObserversNotAskingGetNoArguments) {
  Harness h;
  struct Checking final : ServerObserver {
    void hook_called(const HookRecord& record) override {
      EXPECT_EQ(record.arguments, nullptr);
      ++calls;
    }
    int calls = 0;
  } checking;
  RecordingHooks hooks;
  DhcpServer server(model_settings(), hooks, checking);
  const Bytes datagram = msg::discover(1, 0x1001);
  Request request;
  request.number = 1;
  request.payload = datagram;
  server.process(request, nullptr);
  EXPECT_GT(checking.calls, 0);
}

}  // namespace
}  // namespace calloutemu::server::testing
