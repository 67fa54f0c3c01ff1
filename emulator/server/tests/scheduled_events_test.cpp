// What happens before a request: lease expiry on capture time (spec §5),
// --delete-client, and the notes for events that never happened.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "calloutemu/dhcp/wire_format.h"

#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using loader::Hook;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ServerSettings short_leases(Fidelity fidelity = Fidelity::documented) {
  auto settings = model_settings(fidelity);
  settings.config.scopes[0].lease_time = 60;
  return settings;
}

std::array<std::uint8_t, 6> mac_array(std::uint8_t n) {
  const auto bytes = mac(n);
  std::array<std::uint8_t, 6> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

TEST(ScheduledEvents, ExpiredLeaseGetsDeleteClientBeforeTheNextRequestsNewPkt) {
  Harness h(short_leases());
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100)), 0.0);
  const auto handled = h.send(msg::discover(2, 0x2001), 120.0);
  EXPECT_THAT(handled.sequence(), ElementsAre("DeleteClient", "NewPkt", "HandleOptions",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.ip_address, net(100));
  EXPECT_EQ(deleted.bytes, mac(1));
  EXPECT_EQ(deleted.size, 6u);
  EXPECT_EQ(deleted.delete_reserved, 0u);
  EXPECT_EQ(deleted.client_type, DWORD{DHCP_CLIENT_DHCP});
  // The address is free again: the new client gets it.
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
  // The observer hears of it as part of the request that follows.
  const auto observed = std::find_if(h.observer.hooks.begin(), h.observer.hooks.end(),
                                     [](const auto& o) { return o.hook == Hook::delete_client; });
  ASSERT_NE(observed, h.observer.hooks.end());
  EXPECT_EQ(observed->request, 3u);
}

TEST(ScheduledEvents, LeaseNotYetExpiredGetsNoDeleteClient) {
  Harness h(short_leases());
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100)), 0.0);
  const auto handled = h.send(msg::discover(2, 0x2001), 59.0);
  EXPECT_EQ(handled.sequence().front(), "NewPkt");
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(101));
}

TEST(ScheduledEvents, RenewedLeaseDoesNotExpireAtItsFirstEnd) {
  Harness h(short_leases());
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100)), 0.0);
  h.send(msg::request_renewing(1, 0x1002, net(100)), 30.0);
  EXPECT_EQ(h.send(msg::inform(2, 0x2001, net(50)), 80.0).sequence().front(), "NewPkt");
  EXPECT_EQ(h.send(msg::inform(3, 0x3001, net(51)), 95.0).sequence().front(), "DeleteClient");
}

TEST(ScheduledEvents, LegacyHasNoDeleteClientOnExpiry) {
  Harness h(short_leases(Fidelity::legacy));
  h.send(msg::discover(1, 0x1001), 0.0);
  h.send(msg::request_selecting(1, 0x1001, net(100)), 0.0);
  const auto handled = h.send(msg::discover(2, 0x2001), 120.0);
  EXPECT_THAT(handled.sequence(),
              ElementsAre("NewPkt", "HandleOptions", "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
}

TEST(ScheduledEvents, LegacyScavengingADynamicBootpLeaseGetsDeleteClient) {
  auto settings = model_settings(Fidelity::legacy);
  settings.config.scopes[0].serves_bootp = true;
  settings.config.scopes[0].bootp_lease_time = 60;
  Harness h(settings);
  h.send(msg::bootp(1, 0x1001), 0.0);
  const auto handled = h.send(msg::discover(2, 0x2001), 120.0);
  EXPECT_EQ(handled.sequence().front(), "DeleteClient");
  EXPECT_EQ(handled.first(Hook::delete_client).client_type, DWORD{DHCP_CLIENT_BOOTP});
  EXPECT_EQ(handled.first(Hook::delete_client).ip_address, net(100));
}

TEST(ScheduledEvents, AnExpiredOfferGetsNoDeleteClient) {
  Harness h(short_leases());
  h.send(msg::discover(1, 0x1001), 0.0);  // offered, never requested
  const auto handled = h.send(msg::discover(2, 0x2001), 300.0);
  EXPECT_EQ(handled.sequence().front(), "NewPkt");
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
}

TEST(ScheduledEvents, DeleteClientOrderDeletesTheLeaseBeforeRequestN) {
  auto settings = model_settings();
  settings.deletes = {AdminDelete{mac_array(1), 3}};
  Harness h(settings);
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_THAT(handled.sequence(), ElementsAre("DeleteClient", "NewPkt", "HandleOptions",
                                              "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
  const auto& deleted = handled.first(Hook::delete_client);
  EXPECT_EQ(deleted.ip_address, net(100));
  EXPECT_EQ(deleted.bytes, mac(1));
  EXPECT_EQ(deleted.client_type, DWORD{DHCP_CLIENT_DHCP});
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_yiaddr(handled.response->bytes), net(100));
  EXPECT_THAT(h.observer.notes, IsEmpty());
}

TEST(ScheduledEvents, DeleteClientOrderHappensInLegacyToo) {
  auto settings = model_settings(Fidelity::legacy);
  settings.deletes = {AdminDelete{mac_array(1), 3}};
  Harness h(settings);
  ASSERT_EQ(acquire_lease(h, 1, 0x1001), net(100));
  EXPECT_EQ(h.send(msg::discover(2, 0x2001)).sequence().front(), "DeleteClient");
}

TEST(ScheduledEvents, DeleteClientOrderFindsALeaseHeldUnderAClientIdentifier) {
  auto settings = model_settings();
  settings.deletes = {AdminDelete{mac_array(1), 3}};
  Harness h(settings);
  const Bytes client_id = {0x01, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01};
  auto with_id = [&](Bytes bytes) {
    bytes.pop_back();
    bytes.push_back(dhcp::option::client_identifier);
    bytes.push_back(static_cast<std::uint8_t>(client_id.size()));
    bytes.insert(bytes.end(), client_id.begin(), client_id.end());
    bytes.push_back(dhcp::option::end);
    return bytes;
  };
  h.send(with_id(msg::discover(1, 0x1001)));
  h.send(with_id(msg::request_selecting(1, 0x1001, net(100))));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_EQ(handled.sequence().front(), "DeleteClient");
  EXPECT_EQ(handled.first(Hook::delete_client).bytes, client_id);
}

TEST(ScheduledEvents, DeleteClientOrderForAnUnknownClientIsANote) {
  auto settings = model_settings();
  settings.deletes = {AdminDelete{mac_array(7), 2}};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_EQ(handled.sequence().front(), "NewPkt");
  ASSERT_EQ(h.observer.notes.size(), 1u);
  EXPECT_THAT(h.observer.notes[0], HasSubstr("02:00:5e:00:00:07@2"));
}

TEST(ScheduledEvents, DeleteClientOrderForAnOfferOnlyIsANote) {
  auto settings = model_settings();
  settings.deletes = {AdminDelete{mac_array(1), 2}};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(h.send(msg::discover(2, 0x2001)).sequence().front(), "NewPkt");
  EXPECT_EQ(h.observer.notes.size(), 1u);
}

// Regression (found in review, fixed): PAUSE and CONTINUE scheduled before
// the same request (--pause-at N --continue-at N) ran in unordered_multimap
// order: CONTINUE first, and the server stayed paused.
TEST(ScheduledEvents, PauseAndContinueBeforeTheSameRequestLeaveTheServerRunning) {
  auto settings = model_settings();
  settings.pause_at = {2};
  settings.continue_at = {2};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001));
  const auto handled = h.send(msg::discover(2, 0x2001));
  EXPECT_THAT(handled.sequence(),
              ElementsAre("Control(PAUSE)", "Control(CONTINUE)", "NewPkt", "HandleOptions",
                          "PktSend(SEND_PACKET)", "PktDrop(PROCESSED)"));
}

TEST(ScheduledEvents, FinishNotesEveryEventPastTheLastRequest) {
  auto settings = model_settings();
  settings.pause_at = {3};
  settings.continue_at = {4};
  settings.deletes = {AdminDelete{mac_array(1), 9}};
  settings.injections = {Injection{DHCP_DROP_TIMEOUT, 2}};
  Harness h(settings);
  h.send(msg::discover(1, 0x1001));
  h.send(msg::discover(2, 0x2001));
  h.server().finish(2);
  EXPECT_EQ(h.observer.notes.size(), 3u);
  for (const auto& note : h.observer.notes) {
    EXPECT_THAT(note, HasSubstr("never happened"));
  }
}

}  // namespace
}  // namespace calloutemu::server::testing
