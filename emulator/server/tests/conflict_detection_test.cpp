// Spec §3 table: conflict detection finds an address in use before it is
// offered: AddressDel(CONFLICT), HandleOptions again, search again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using loader::Hook;
using ::testing::ElementsAre;

ServerSettings pinging(std::vector<scopes::Ipv4> answering) {
  auto settings = model_settings();
  settings.config.answering_ping = std::move(answering);
  return settings;
}

TEST(ConflictDetection, AnAddressAnsweringPingIsDeletedAndTheNextOneOffered) {
  Harness h(pinging({net(100)}));
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(CONFLICT)", "HandleOptions",
                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& conflict = handled.first(Hook::address_del);
  EXPECT_EQ(conflict.code, DWORD{DHCP_PROB_CONFLICT});
  EXPECT_EQ(conflict.alt_address, net(100));
  EXPECT_EQ(conflict.ip_address, kServer);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(101));
}

TEST(ConflictDetection, EachAddressInUseGetsItsOwnAddressDel) {
  Harness h(pinging({net(100), net(101)}));
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(CONFLICT)", "HandleOptions",
                          "AddressDel(CONFLICT)", "HandleOptions", "PktSend(SEND_PACKET)",
                          "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(102));
}

TEST(ConflictDetection, AConflictingAddressIsNotOfferedToTheNextClient) {
  Harness h(pinging({net(100)}));
  h.send(msg::discover(1, 0x1001));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(102));
}

TEST(ConflictDetection, TheOnlyAddressInUseIsNoAddress) {
  auto settings = pinging({net(100)});
  settings.config.scopes[0].ranges = {scopes::AddressRange{net(100), net(100)}};
  Harness h(settings);
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "AddressDel(CONFLICT)", "HandleOptions",
                          "PktDrop(NOADDRESS)", "PktDrop(PROCESSED)"));
}

TEST(ConflictDetection, TheSecondHandleOptionsSeesTheSamePacketAndContext) {
  Harness h(pinging({net(100)}));
  static int marker;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD*, void** context, BOOL*) {
    *context = &marker;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  std::vector<const RecordedCall*> options_calls;
  for (const auto& call : handled.calls) {
    if (call.hook == Hook::handle_options) {
      options_calls.push_back(&call);
    }
  }
  ASSERT_EQ(options_calls.size(), 2u);
  EXPECT_EQ(options_calls[0]->packet, options_calls[1]->packet);
  EXPECT_EQ(options_calls[1]->context, &marker);
  EXPECT_EQ(options_calls[1]->reserved, options_calls[0]->reserved);
  ASSERT_TRUE(options_calls[1]->options);
  EXPECT_NE(options_calls[1]->options->MessageType, nullptr);
}

}  // namespace
}  // namespace calloutemu::server::testing
