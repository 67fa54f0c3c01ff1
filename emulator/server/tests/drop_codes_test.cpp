// Spec §3 steps 2-12: every drop code, as the pair (reason, PROCESSED), on
// the request it belongs to.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/loader/hook_table.h"
#include "packet_maker.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::testing::PacketMaker;
using loader::Hook;
using ::testing::ElementsAre;

std::vector<std::string> dropped_with(std::string_view reason) {
  return {"NewPkt", "PktDrop(" + std::string(reason) + ")", "PktDrop(PROCESSED)"};
}
std::vector<std::string> dropped_after_options(std::string_view reason) {
  return {"NewPkt", "HandleOptions", "PktDrop(" + std::string(reason) + ")", "PktDrop(PROCESSED)"};
}
const std::vector<std::string> kOffered = {"NewPkt", "HandleOptions", "PktSend(SEND_PACKET)",
                                           "PktDrop(PROCESSED)"};

// --- ProcessIt --------------------------------------------------------------

TEST(DropCodes, ProcessItFalseIsNewPktThenOneProcessed) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD*, void**, BOOL* process_it) {
    *process_it = FALSE;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "PktDrop(PROCESSED)"));
  EXPECT_TRUE(handled.outcome.dropped_by_callout);
  EXPECT_TRUE(handled.outcome.drop_reasons.empty());
  EXPECT_FALSE(handled.outcome.responded);
  EXPECT_EQ(h.server().lease_count(), 0u);
}

TEST(DropCodes, ProcessItFalseEvenForAnInvalidDatagram) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD*, void**, BOOL* process_it) {
    *process_it = FALSE;
  };
  const auto handled = h.send(Bytes(20, 0x01));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "PktDrop(PROCESSED)"));
}

// --- DUPLICATE --------------------------------------------------------------

TEST(DropCodes, IdenticalDiscoverHalfASecondLaterIsADuplicate) {
  Harness h;
  EXPECT_EQ(h.send(msg::discover(1, 0x1001), 0.0).sequence(), kOffered);
  const auto handled = h.send(msg::discover(1, 0x1001), 0.5);
  EXPECT_EQ(handled.sequence(), dropped_with("DUPLICATE"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_DUPLICATE}));
}

TEST(DropCodes, IdenticalDiscoverThreeSecondsLaterIsProcessed) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001), 3.0).sequence(), kOffered);
}

TEST(DropCodes, RequestFollowingADiscoverWithTheSameXidIsNotADuplicate) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100)), 0.1);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(DropCodes, SameXidFromAnotherClientIsNotADuplicate) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  EXPECT_EQ(h.send(msg::discover(2, 0x1001), 0.5).sequence(), kOffered);
}

TEST(DropCodes, ADuplicateWindowOfZeroDetectsNoDuplicates) {
  auto settings = model_settings();
  settings.duplicate_window = std::chrono::nanoseconds::zero();
  Harness h(settings);
  h.send(msg::discover(1, 0x1001), 0.0);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001), 0.1).sequence(), kOffered);
}

// --- PAUSED -----------------------------------------------------------------

TEST(DropCodes, PausedBetweenPauseAtAndContinueAt) {
  auto settings = model_settings();
  settings.pause_at = {2};
  settings.continue_at = {4};
  Harness h(settings);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).sequence(), kOffered);
  const auto second = h.send(msg::discover(2, 0x2001));
  EXPECT_THAT(second.sequence(),
              ElementsAre("Control(PAUSE)", "NewPkt", "PktDrop(PAUSED)", "PktDrop(PROCESSED)"));
  EXPECT_THAT(second.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_PAUSED}));
  EXPECT_EQ(h.send(msg::discover(3, 0x3001)).sequence(), dropped_with("PAUSED"));
  const auto fourth = h.send(msg::discover(4, 0x4001));
  EXPECT_THAT(fourth.sequence(), ElementsAre("Control(CONTINUE)", "NewPkt", "HandleOptions",
                                             "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  // The observer hears of the controls too, numbered by the request they precede.
  ASSERT_GE(h.observer.hooks.size(), 1u);
  int controls = 0;
  for (const auto& observed : h.observer.hooks) {
    if (observed.hook == Hook::control) {
      ++controls;
      EXPECT_EQ(observed.request, observed.code == DHCP_CONTROL_PAUSE ? 2u : 4u);
    }
  }
  EXPECT_EQ(controls, 2);
}

// --- NO_SUBNETS -------------------------------------------------------------

TEST(DropCodes, NoScopeInModelModeIsNoSubnetsWithOneNote) {
  auto settings = model_settings();
  settings.config.scopes.clear();
  Harness h(settings);
  const auto first = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(first.sequence(), dropped_with("NO_SUBNETS"));
  EXPECT_THAT(first.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_NO_SUBNETS}));
  EXPECT_EQ(h.send(msg::inform(2, 0x2001, net(50))).sequence(), dropped_with("NO_SUBNETS"));
  EXPECT_EQ(h.observer.notes.size(), 1u);
}

TEST(DropCodes, NoScopeAndNoReplyInAutoModeIsNoSubnets) {
  auto settings = model_settings();
  settings.decisions = DecisionMode::automatic;
  settings.config.scopes.clear();
  Harness h(settings);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).sequence(), dropped_with("NO_SUBNETS"));
}

// --- INVALID (structural, before HandleOptions) -----------------------------

struct Malformed {
  const char* name;
  Bytes bytes;
};

Bytes header_of(std::size_t size) {
  Bytes bytes = PacketMaker().chaddr(mac(1)).bytes();
  bytes.resize(size);
  return bytes;
}

std::vector<Malformed> malformed_requests() {
  auto four_byte = [](std::uint8_t code) {
    return PacketMaker().chaddr(mac(1)).option(53, {1}).option(code, {1, 2, 3}).end().bytes();
  };
  return {
      {"op 3", PacketMaker().op(3).chaddr(mac(1)).option(53, {1}).end().bytes()},
      {"shorter than the fixed header", Bytes(200, 0x01)},
      {"235 bytes", header_of(235)},
      {"hlen 17", PacketMaker().hlen(17).option(53, {1}).end().bytes()},
      {"option overrun", PacketMaker().chaddr(mac(1)).option(53, {1}).raw({12, 50, 'a'}).bytes()},
      {"option 1 of 3 bytes", four_byte(1)},
      {"option 50 of 3 bytes", four_byte(50)},
      {"option 51 of 3 bytes", four_byte(51)},
      {"option 3 of 3 bytes", four_byte(3)},
      {"option 54 of 3 bytes", four_byte(54)},
  };
}

TEST(DropCodes, EachStructuralReasonIsInvalidBeforeHandleOptions) {
  for (const auto& request : malformed_requests()) {
    Harness h;
    const auto handled = h.send(request.bytes);
    EXPECT_EQ(handled.sequence(), dropped_with("INVALID")) << request.name;
    EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_INVALID}))
        << request.name;
  }
}

TEST(DropCodes, InvalidRequestsReachNewPktWithTheirBytes) {
  for (const auto& request : malformed_requests()) {
    Harness h;
    const auto handled = h.send(request.bytes);
    EXPECT_EQ(handled.first(Hook::new_pkt).bytes, request.bytes) << request.name;
  }
}

TEST(DropCodes, ARequestThatAsksForNothingIsInvalidAfterHandleOptions) {
  Harness h;
  const auto handled = h.send(msg::of_type(3, 1, 0x1001));  // no 50, 54 or ciaddr
  EXPECT_EQ(handled.sequence(), dropped_after_options("INVALID"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_INVALID}));
}

// --- WRONG_SERVER -----------------------------------------------------------

TEST(DropCodes, RequestForAnotherServerIsWrongServerInDocumented) {
  Harness h;
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100), kOtherServer), 0.5);
  EXPECT_EQ(handled.sequence(), dropped_after_options("WRONG_SERVER"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_WRONG_SERVER}));
}

TEST(DropCodes, RequestForAnotherServerIsInvalidInLegacy) {
  Harness h(model_settings(Fidelity::legacy));
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100), kOtherServer), 0.5);
  EXPECT_EQ(handled.sequence(), dropped_after_options("INVALID"));
}

TEST(DropCodes, RequestForAnotherServerWithdrawsTheOffer) {
  auto settings = model_settings();
  settings.config.scopes[0].ranges = {scopes::AddressRange{net(100), net(100)}};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100), kOtherServer), 0.5);
  const auto other = h.send(msg::discover(2, 0x2001), 1.0);
  ASSERT_TRUE(other.response);
  EXPECT_EQ(response_yiaddr(other.response->bytes), net(100));
}

// --- NOADDRESS --------------------------------------------------------------

ServerSettings one_address(Fidelity fidelity) {
  auto settings = model_settings(fidelity);
  settings.config.scopes[0].ranges = {scopes::AddressRange{net(100), net(100)}};
  return settings;
}

TEST(DropCodes, SecondClientOfAOneAddressRangeIsNoAddress) {
  Harness h(one_address(Fidelity::documented));
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).sequence(), kOffered);
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_EQ(handled.sequence(), dropped_after_options("NOADDRESS"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_NOADDRESS}));
}

TEST(DropCodes, LegacyNoAddressIsFollowedByGenFailureBeforeProcessed) {
  Harness h(one_address(Fidelity::legacy));
  h.send(msg::discover(1, 0x1001));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "PktDrop(NOADDRESS)",
                                              "PktDrop(GEN_FAILURE)", "PktDrop(PROCESSED)"));
  EXPECT_THAT(handled.outcome.drop_reasons,
              ElementsAre(DWORD{DHCP_DROP_NOADDRESS}, DWORD{DHCP_DROP_GEN_FAILURE}));
}

// --- UNAUTH -----------------------------------------------------------------

TEST(DropCodes, UnauthorizedServerDropsEveryRequestWithUnauth) {
  auto settings = model_settings();
  settings.config.authorized = false;
  Harness h(settings);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).sequence(), dropped_with("UNAUTH"));
  EXPECT_EQ(h.send(msg::inform(2, 0x2001, net(50))).sequence(), dropped_with("UNAUTH"));
}

// --- injected failures ------------------------------------------------------

class InjectedBeforeOptions : public ::testing::TestWithParam<DWORD> {};

TEST_P(InjectedBeforeOptions, OnlyTheInjectedRequestIsDroppedWithoutHandleOptions) {
  auto settings = model_settings();
  settings.injections = {Injection{GetParam(), 2}};
  Harness h(settings);
  EXPECT_EQ(h.send(msg::discover(1, 0x1001)).sequence(), kOffered);
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_EQ(handled.sequence(), dropped_with(loader::drop_code_name(GetParam())));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(GetParam()));
  EXPECT_EQ(h.send(msg::discover(3, 0x3001)).sequence(), kOffered);
}

INSTANTIATE_TEST_SUITE_P(DropCodes, InjectedBeforeOptions,
                         ::testing::Values(DWORD{DHCP_DROP_TIMEOUT}, DWORD{DHCP_DROP_NOMEM},
                                           DWORD{DHCP_DROP_INTERNAL_ERROR}));

TEST(DropCodes, InjectedGenFailureComesAfterHandleOptionsAndGivesNothing) {
  auto settings = model_settings();
  settings.injections = {Injection{DHCP_DROP_GEN_FAILURE, 1}};
  Harness h(settings);
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.sequence(), dropped_after_options("GEN_FAILURE"));
  EXPECT_THAT(handled.outcome.drop_reasons, ElementsAre(DWORD{DHCP_DROP_GEN_FAILURE}));
  EXPECT_FALSE(handled.outcome.responded);
  EXPECT_EQ(h.server().lease_count(), 0u);
}

TEST(DropCodes, InjectionsNeverReachedAreNotedAtFinish) {
  auto settings = model_settings();
  settings.injections = {Injection{DHCP_DROP_NOMEM, 5}};
  settings.pause_at = {7};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001));
  h.server().finish(1);
  EXPECT_EQ(h.observer.notes.size(), 2u);
}

// --- faults -----------------------------------------------------------------

TEST(DropCodes, AFaultingHookDoesNotStopThePacket) {
  Harness h;
  h.hooks.faulting = {Hook::new_pkt, Hook::handle_options};
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.sequence(), kOffered);
  EXPECT_EQ(handled.outcome.faults, 2u);
  EXPECT_TRUE(handled.outcome.responded);
}

TEST(DropCodes, EveryFaultingPacketHookIsCounted) {
  Harness h;
  h.hooks.faulting = {Hook::new_pkt,     Hook::pkt_drop,      Hook::pkt_send,
                      Hook::address_del, Hook::address_offer, Hook::handle_options};
  h.send(msg::discover(1, 0x1001), 0.0);
  const auto handled = h.send(msg::request_selecting(1, 0x1001, net(100)), 0.5);
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "AddressOffer(NEW)",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.outcome.faults, 5u);
  const auto nak = h.send(msg::request_init_reboot(2, 0x2001, net(100)));
  EXPECT_EQ(nak.outcome.faults, 5u);  // NewPkt, HandleOptions, AddressDel, PktSend, PktDrop
}

// Regression (found in review, fixed): a DeleteClient that faulted while a
// request was handled (documented RELEASE) was not counted in its
// outcome.faults.
TEST(DropCodes, AFaultingDeleteClientDuringARequestIsCounted) {
  Harness h;
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  h.hooks.faulting = {Hook::delete_client};
  const auto handled = h.send(msg::release(1, 0x1002, net(100)));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "HandleOptions", "DeleteClient",
                                              "AddressDel(RELEASE)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.outcome.faults, 1u);
}

}  // namespace
}  // namespace calloutemu::server::testing
