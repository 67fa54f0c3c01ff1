#include "calloutemu/scopes/lease_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <random>
#include <set>

namespace calloutemu::scopes {
namespace {

using std::chrono::seconds;

constexpr Ipv4 kNet = 0xC0000000u;  // 192.0.0.0/22 in most tests: hosts .0.1 to .3.254
const CaptureTime kT0 = seconds(1'700'000'000);

// A client as Windows sends it: option 61 is type 1 then the MAC.
struct Client {
  std::array<std::uint8_t, 6> mac{};
  std::string id;
  ClientIdentity identity() const { return {id, mac}; }
};

Client client(std::uint32_t n) {
  Client c;
  c.mac = {0x02,
           0x00,
           static_cast<std::uint8_t>(n >> 24),
           static_cast<std::uint8_t>(n >> 16),
           static_cast<std::uint8_t>(n >> 8),
           static_cast<std::uint8_t>(n)};
  c.id = "\x01" + std::string(c.mac.begin(), c.mac.end());
  return c;
}

Scope scope(const char* cidr) {
  return scope_from_cidr(cidr).value();
}

ServerConfig one_scope(Scope s = scope("192.0.0.0/22")) {
  ServerConfig config;
  config.scopes.push_back(std::move(s));
  return config;
}

// choose_address then offer then bind, as a DISCOVER and a REQUEST do.
std::optional<Ipv4> lease(LeaseDatabase& db, const Client& c, CaptureTime now,
                          std::optional<Ipv4> requested = std::nullopt) {
  const auto address = db.choose_address(0, c.identity(), requested);
  if (address) {
    db.offer(0, *address, c.identity(), ClientType::dhcp, now);
    db.bind(0, *address, c.identity(), ClientType::dhcp, 3600, now);
  }
  return address;
}

TEST(LeaseDatabase, HandsOutTheLowestFreeAddressUntilNoneIsLeft) {
  LeaseDatabase db(one_scope());
  // .0.1 is the server's own address; .0.0 and .3.255 are the network and broadcast.
  for (std::uint32_t n = 0; n < 1021; ++n) {
    ASSERT_EQ(lease(db, client(n), kT0), kNet + 2 + n) << "client " << n;
  }
  EXPECT_EQ(db.size(), 1021u);
  EXPECT_EQ(db.choose_address(0, client(5000).identity(), std::nullopt), std::nullopt);
  EXPECT_EQ(db.choose_address(0, client(5000).identity(), kNet + 100), std::nullopt);
  EXPECT_EQ(db.choose_address(0, client(7).identity(), std::nullopt), kNet + 9)
      << "a client that holds a lease still gets it";
}

TEST(LeaseDatabase, RecordsWhatABindHolds) {
  LeaseDatabase db(one_scope());
  const auto c = client(1);
  db.bind(0, kNet + 40, c.identity(), ClientType::bootp, 3600, kT0);
  const auto* held = db.by_client(c.id);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held, db.by_address(kNet + 40));
  EXPECT_EQ(held->address, kNet + 40);
  EXPECT_EQ(held->state, LeaseState::bound);
  EXPECT_EQ(held->client_type, ClientType::bootp);
  EXPECT_EQ(held->scope, 0u);
  EXPECT_EQ(held->expires, kT0 + seconds(3600));
  EXPECT_EQ(held->client_id, c.id);
  db.bind(0, kNet + 40, c.identity(), ClientType::dhcp, kInfiniteLease, kT0);
  EXPECT_EQ(db.by_client(c.id)->expires, kNever);
  EXPECT_EQ(db.by_address(kNet + 41), nullptr);
  EXPECT_EQ(db.by_client("nobody"), nullptr);
}

TEST(LeaseDatabase, OffersHoldTheirAddressForTheOfferHoldTime) {
  auto config = one_scope();
  config.offer_hold_time = 30;
  LeaseDatabase db(config);
  const auto a = client(1);
  db.offer(0, kNet + 2, a.identity(), ClientType::dhcp, kT0);
  EXPECT_EQ(db.by_client(a.id)->state, LeaseState::offered);
  EXPECT_EQ(db.by_client(a.id)->expires, kT0 + seconds(30));
  EXPECT_EQ(db.choose_address(0, client(2).identity(), std::nullopt), kNet + 3);
  EXPECT_FALSE(db.available_to(0, kNet + 2, client(2).identity()));
  EXPECT_TRUE(db.available_to(0, kNet + 2, a.identity()));
}

TEST(LeaseDatabase, PrefersTheClientsLeaseThenTheRequestedAddress) {
  LeaseDatabase db(one_scope());
  const auto a = client(1);
  const auto b = client(2);
  EXPECT_EQ(db.choose_address(0, a.identity(), kNet + 50), kNet + 50);
  ASSERT_EQ(lease(db, a, kT0, kNet + 50), kNet + 50);
  EXPECT_EQ(db.choose_address(0, a.identity(), kNet + 60), kNet + 50)
      << "the current lease wins over a request";
  EXPECT_EQ(db.choose_address(0, b.identity(), kNet + 50), kNet + 2)
      << "another client's address is not available";
  EXPECT_EQ(db.choose_address(0, b.identity(), kNet + 1), kNet + 2) << "the server address";
  EXPECT_EQ(db.choose_address(0, b.identity(), kNet), kNet + 2) << "the network address";
  EXPECT_EQ(db.choose_address(0, b.identity(), kNet + 0x3FF), kNet + 2) << "the broadcast";
  EXPECT_EQ(db.choose_address(0, b.identity(), 0x0A000001u), kNet + 2) << "another subnet";
}

TEST(LeaseDatabase, KeepsToRangesAndExclusions) {
  auto s = scope("192.0.0.0/22");
  s.ranges = {{kNet + 100, kNet + 109}, {kNet + 20, kNet + 24}};
  s.exclusions = {{kNet + 21, kNet + 22}, {kNet + 105, kNet + 200}};
  LeaseDatabase db(one_scope(s));
  std::vector<Ipv4> handed;
  for (std::uint32_t n = 0; n < 10; ++n) {
    if (const auto address = lease(db, client(n), kT0)) {
      handed.push_back(*address);
    }
  }
  EXPECT_EQ(handed, (std::vector<Ipv4>{kNet + 20, kNet + 23, kNet + 24, kNet + 100, kNet + 101,
                                       kNet + 102, kNet + 103, kNet + 104}));
  const auto other = client(99);
  EXPECT_FALSE(db.available_to(0, kNet + 21, other.identity())) << "excluded";
  EXPECT_FALSE(db.available_to(0, kNet + 50, other.identity())) << "in no range";
  EXPECT_EQ(db.choose_address(0, other.identity(), kNet + 50), std::nullopt);
}

TEST(LeaseDatabase, SkipsAlsoUnavailableAddresses) {
  LeaseDatabase db(one_scope());
  const auto a = client(1);
  const std::vector<Ipv4> pinged = {kNet + 2, kNet + 3, kNet + 50};
  EXPECT_EQ(db.choose_address(0, a.identity(), std::nullopt, pinged), kNet + 4);
  EXPECT_EQ(db.choose_address(0, a.identity(), kNet + 50, pinged), kNet + 4);
  ASSERT_EQ(lease(db, a, kT0, kNet + 50), kNet + 50);
  EXPECT_EQ(db.choose_address(0, a.identity(), std::nullopt, pinged), kNet + 4)
      << "even the client's own address, when it answers ping";
}

TEST(LeaseDatabase, GivesAReservedClientItsAddressOnly) {
  auto s = scope("192.0.0.0/22");
  s.ranges = {{kNet + 10, kNet + 20}};
  s.exclusions = {{kNet + 15, kNet + 15}};
  const auto by_mac = client(1);
  const auto by_id = client(2);
  s.reservations = {
      {Reservation::Key::mac, std::string(by_mac.mac.begin(), by_mac.mac.end()), kNet + 500},
      {Reservation::Key::client_id, by_id.id, kNet + 15},
      {Reservation::Key::mac, std::string(6, 'x'), kNet + 10}};
  LeaseDatabase db(one_scope(s));
  EXPECT_EQ(db.choose_address(0, by_mac.identity(), kNet + 12), kNet + 500)
      << "outside every range is fine for a reservation";
  EXPECT_EQ(db.choose_address(0, by_id.identity(), std::nullopt), kNet + 15)
      << "a reservation wins over an exclusion";
  const auto other = client(3);
  EXPECT_EQ(db.choose_address(0, other.identity(), std::nullopt), kNet + 11)
      << "reserved for another client (.10)";
  EXPECT_FALSE(db.available_to(0, kNet + 500, other.identity()));
  EXPECT_FALSE(db.available_to(0, kNet + 10, other.identity()));
  EXPECT_TRUE(db.available_to(0, kNet + 500, by_mac.identity()));
  // A client id sent without the type byte is another id: no reservation, a dynamic address.
  ClientIdentity bare{std::string_view(by_id.id).substr(1), by_id.mac};
  EXPECT_EQ(db.choose_address(0, bare, std::nullopt), kNet + 11);
  const std::vector<Ipv4> pinged = {kNet + 500};
  EXPECT_EQ(db.choose_address(0, by_mac.identity(), std::nullopt, pinged), std::nullopt)
      << "a reserved client gets nothing else";
  db.mark_bad(kNet + 15, kT0);
  EXPECT_EQ(db.choose_address(0, by_id.identity(), std::nullopt), std::nullopt);
}

TEST(LeaseDatabase, ReusesAReleasedAddress) {
  LeaseDatabase db(one_scope());
  for (std::uint32_t n = 0; n < 10; ++n) {
    ASSERT_TRUE(lease(db, client(n), kT0));
  }
  const auto removed = db.remove_client(client(4).id);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->address, kNet + 6);
  EXPECT_EQ(removed->state, LeaseState::bound);
  EXPECT_EQ(removed->client_id, client(4).id);
  EXPECT_EQ(db.by_address(kNet + 6), nullptr);
  EXPECT_EQ(db.size(), 9u);
  EXPECT_FALSE(db.remove_client(client(4).id));
  EXPECT_EQ(lease(db, client(100), kT0), kNet + 6);
  EXPECT_EQ(lease(db, client(101), kT0), kNet + 12);
}

TEST(LeaseDatabase, AClientHoldsOneLease) {
  ServerConfig config = one_scope();
  config.scopes.push_back(scope("10.0.0.0/8"));
  LeaseDatabase db(config);
  const auto a = client(1);
  db.offer(0, kNet + 30, a.identity(), ClientType::dhcp, kT0);
  db.bind(0, kNet + 31, a.identity(), ClientType::dhcp, 3600, kT0);
  EXPECT_EQ(db.by_address(kNet + 30), nullptr) << "the old address is free again";
  EXPECT_EQ(db.size(), 1u);
  db.offer(1, 0x0A000002u, a.identity(), ClientType::dhcp, kT0);
  EXPECT_EQ(db.by_address(kNet + 31), nullptr);
  EXPECT_EQ(db.by_client(a.id)->scope, 1u);
  EXPECT_EQ(db.by_client(a.id)->state, LeaseState::offered);
  EXPECT_EQ(db.choose_address(0, a.identity(), std::nullopt), kNet + 2)
      << "a lease in another scope is not the client's lease here";
  // Offering an address another client holds takes it from that client.
  const auto b = client(2);
  db.bind(1, 0x0A000003u, b.identity(), ClientType::dhcp, 3600, kT0);
  db.bind(1, 0x0A000003u, a.identity(), ClientType::dhcp, 3600, kT0);
  EXPECT_EQ(db.by_client(b.id), nullptr);
  EXPECT_EQ(db.by_address(0x0A000003u)->client_id, a.id);
  EXPECT_EQ(db.size(), 1u);
}

TEST(LeaseDatabase, AnOfferKeepsABoundLeaseOnTheSameAddress) {
  LeaseDatabase db(one_scope());
  const auto a = client(1);
  db.bind(0, kNet + 30, a.identity(), ClientType::dhcp, 3600, kT0);
  db.offer(0, kNet + 30, a.identity(), ClientType::dhcp, kT0 + seconds(10));
  EXPECT_EQ(db.by_client(a.id)->state, LeaseState::bound);
  EXPECT_EQ(db.by_client(a.id)->expires, kT0 + seconds(3600));
  db.withdraw_offer(a.id);
  EXPECT_NE(db.by_client(a.id), nullptr) << "withdrawing removes offers only";
  db.offer(0, kNet + 30, a.identity(), ClientType::dhcp, kT0 + seconds(3590));
  EXPECT_EQ(db.by_client(a.id)->expires, kT0 + seconds(3650)) << "held for the offer at least";
  db.offer(0, kNet + 31, a.identity(), ClientType::dhcp, kT0 + seconds(3590));
  EXPECT_EQ(db.by_client(a.id)->state, LeaseState::offered);
  db.withdraw_offer(a.id);
  EXPECT_EQ(db.by_client(a.id), nullptr);
  EXPECT_EQ(db.size(), 0u);
}

TEST(LeaseDatabase, ExpiresInOrderAndCallsBackForBoundLeasesOnly) {
  auto config = one_scope();
  config.offer_hold_time = 60;
  LeaseDatabase db(config);
  db.bind(0, kNet + 9, client(1).identity(), ClientType::dhcp, 100, kT0);
  db.bind(0, kNet + 5, client(2).identity(), ClientType::dhcp, 100, kT0);
  db.bind(0, kNet + 7, client(3).identity(), ClientType::dhcp, 50, kT0);
  db.offer(0, kNet + 3, client(4).identity(), ClientType::dhcp, kT0);
  db.bind(0, kNet + 4, client(5).identity(), ClientType::dhcp, kInfiniteLease, kT0);
  db.bind(0, kNet + 6, client(6).identity(), ClientType::dhcp, 1000, kT0);
  std::vector<Ipv4> expired;
  const auto record = [&](const Lease& l) {
    EXPECT_EQ(l.state, LeaseState::bound);
    EXPECT_EQ(db.by_address(l.address), &l) << "called before the lease is removed";
    expired.push_back(l.address);
  };
  db.expire(kT0 + seconds(49), record);
  EXPECT_TRUE(expired.empty());
  db.expire(kT0 + seconds(60), record);
  EXPECT_EQ(expired, (std::vector<Ipv4>{kNet + 7})) << "the offer expires silently";
  EXPECT_EQ(db.by_client(client(4).id), nullptr);
  db.expire(kT0 + seconds(100), record);
  EXPECT_EQ(expired, (std::vector<Ipv4>{kNet + 7, kNet + 5, kNet + 9})) << "ties by address";
  EXPECT_EQ(db.size(), 2u);
  db.expire(kNever - CaptureTime(1), record);
  EXPECT_EQ(expired.back(), kNet + 6);
  EXPECT_EQ(db.size(), 1u) << "an infinite lease never expires";
  EXPECT_EQ(db.by_address(kNet + 4)->client_id, client(5).id);
  EXPECT_EQ(db.expiry_queue_size(), 0u);
}

TEST(LeaseDatabase, ExpiresARenewedLeaseAtItsNewTimeOnly) {
  LeaseDatabase db(one_scope());
  const auto a = client(1);
  db.bind(0, kNet + 9, a.identity(), ClientType::dhcp, 100, kT0);
  db.bind(0, kNet + 9, a.identity(), ClientType::dhcp, 100, kT0 + seconds(80));
  int calls = 0;
  db.expire(kT0 + seconds(150), [&](const Lease&) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_NE(db.by_client(a.id), nullptr);
  db.expire(kT0 + seconds(180), [&](const Lease&) { ++calls; });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(db.by_client(a.id), nullptr);
  db.expire(kT0 + seconds(1000), nullptr);  // nothing left, and no callback is fine
}

TEST(LeaseDatabase, FreesExpiredAddressesForNewClients) {
  LeaseDatabase db(one_scope());
  for (std::uint32_t n = 0; n < 1021; ++n) {
    const auto address = db.choose_address(0, client(n).identity(), std::nullopt);
    ASSERT_TRUE(address);
    db.offer(0, *address, client(n).identity(), ClientType::dhcp, kT0);
    if (n % 2 == 0) {
      db.bind(0, *address, client(n).identity(), ClientType::dhcp, 600, kT0);
    }
  }
  EXPECT_EQ(db.choose_address(0, client(9999).identity(), std::nullopt), std::nullopt);
  db.expire(kT0 + seconds(60), nullptr);
  EXPECT_EQ(db.size(), 511u);
  EXPECT_EQ(db.choose_address(0, client(9999).identity(), std::nullopt), kNet + 3)
      << "client 1's expired offer";
  db.expire(kT0 + seconds(600), nullptr);
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.choose_address(0, client(9999).identity(), std::nullopt), kNet + 2);
}

TEST(LeaseDatabase, MarksAddressesBadForTheScopesLeaseTime) {
  auto s = scope("192.0.0.0/22");
  s.lease_time = 600;
  LeaseDatabase db(one_scope(s));
  const auto a = client(1);
  ASSERT_EQ(lease(db, a, kT0), kNet + 2);
  db.mark_bad(kNet + 2, kT0 + seconds(10));
  EXPECT_EQ(db.by_client(a.id), nullptr) << "the lease on it is removed";
  const auto* bad = db.by_address(kNet + 2);
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->state, LeaseState::bad);
  EXPECT_TRUE(bad->client_id.empty());
  EXPECT_EQ(bad->expires, kT0 + seconds(610));
  EXPECT_EQ(db.size(), 1u);
  EXPECT_FALSE(db.available_to(0, kNet + 2, a.identity()));
  EXPECT_EQ(db.choose_address(0, a.identity(), kNet + 2), kNet + 3);
  EXPECT_EQ(db.by_client(""), nullptr) << "bad addresses have no client";
  db.mark_bad(0x0A000001u, kT0);  // outside every scope: ignored
  EXPECT_EQ(db.size(), 1u);
  int calls = 0;
  db.expire(kT0 + seconds(610), [&](const Lease&) { ++calls; });
  EXPECT_EQ(calls, 0) << "a bad address becomes free without a callback";
  EXPECT_EQ(db.size(), 0u);
  EXPECT_EQ(db.choose_address(0, a.identity(), std::nullopt), kNet + 2);
}

TEST(LeaseDatabase, AnInfiniteLeaseTimeMakesBadAddressesBadForever) {
  auto s = scope("192.0.0.0/22");
  s.lease_time = kInfiniteLease;
  LeaseDatabase db(one_scope(s));
  db.mark_bad(kNet + 2, kT0);
  EXPECT_EQ(db.by_address(kNet + 2)->expires, kNever);
  db.expire(kNever - CaptureTime(1), nullptr);
  EXPECT_NE(db.by_address(kNet + 2), nullptr);
}

TEST(LeaseDatabase, FindsScopesBySubnetAndServerAddress) {
  ServerConfig config;
  config.scopes = {scope("192.0.2.0/24"), scope("10.0.0.0/8"), scope("192.0.3.0/24")};
  config.scopes[2].server_address = 0xC00003FEu;
  LeaseDatabase db(config);
  EXPECT_EQ(db.scope_containing(0xC0000280u), 0u);
  EXPECT_EQ(db.scope_containing(0x0A123456u), 1u);
  EXPECT_EQ(db.scope_containing(0xC0000300u), 2u);
  EXPECT_EQ(db.scope_containing(0xC0000400u), std::nullopt);
  EXPECT_EQ(db.scope_containing(0x09FFFFFFu), std::nullopt);
  EXPECT_EQ(db.scope_containing(0), std::nullopt);
  EXPECT_EQ(db.scope_served_by(0xC0000201u), 0u);
  EXPECT_EQ(db.scope_served_by(0x0A000001u), 1u);
  EXPECT_EQ(db.scope_served_by(0xC00003FEu), 2u);
  EXPECT_EQ(db.scope_served_by(0xC0000301u), std::nullopt);
  EXPECT_EQ(db.choose_address(3, client(1).identity(), std::nullopt), std::nullopt);
  EXPECT_FALSE(db.available_to(3, 0xC0000205u, client(1).identity()));
}

TEST(LeaseDatabase, OutlivesTheConfigItWasBuiltFrom) {
  auto config = std::make_unique<ServerConfig>(one_scope());
  LeaseDatabase db(*config);
  config.reset();
  EXPECT_EQ(lease(db, client(1), kT0), kNet + 2);
  LeaseDatabase moved(std::move(db));
  EXPECT_EQ(lease(moved, client(2), kT0), kNet + 3);
}

TEST(LeaseDatabase, RenewalsKeepTheExpiryQueueWithinTwiceTheLeases) {
  LeaseDatabase db(one_scope(scope("10.0.0.0/16")));
  constexpr std::uint32_t kClients = 2000;
  for (int round = 0; round < 50; ++round) {
    const auto now = kT0 + seconds(round);
    for (std::uint32_t n = 0; n < kClients; ++n) {
      const auto address = db.choose_address(0, client(n).identity(), std::nullopt);
      ASSERT_TRUE(address);
      db.offer(0, *address, client(n).identity(), ClientType::dhcp, now);
      db.bind(0, *address, client(n).identity(), ClientType::dhcp, 3600, now);
      ASSERT_LE(db.expiry_queue_size(), std::max<std::size_t>(2 * db.size(), 64));
    }
  }
  EXPECT_EQ(db.size(), kClients);
  EXPECT_EQ(db.by_client(client(kClients - 1).id)->address, 0x0A000001u + kClients);
  std::size_t expired = 0;
  db.expire(kT0 + seconds(3600 + 49), [&](const Lease&) { ++expired; });
  EXPECT_EQ(expired, kClients) << "each lease once, at its last renewal's time";
}

// Random DORA, RELEASE, DECLINE and expiry against a plain model of the rules.
TEST(LeaseDatabase, MatchesAModelUnderRandomTraffic) {
  auto s = scope("172.16.0.0/22");
  s.exclusions = {{0xAC100064u, 0xAC1000C7u}};
  s.lease_time = 300;
  auto config = one_scope(s);
  config.offer_hold_time = 20;
  LeaseDatabase db(config);
  std::set<Ipv4> free_addresses;
  for (Ipv4 address = 0xAC100002u; address <= 0xAC1003FEu; ++address) {
    if (address < 0xAC100064u || address > 0xAC1000C7u) {
      free_addresses.insert(address);
    }
  }
  std::map<Ipv4, CaptureTime> taken;  // address -> expiry
  std::mt19937 random(11);
  CaptureTime now = kT0;
  for (int step = 0; step < 20000; ++step) {
    now += std::chrono::milliseconds(random() % 500);
    db.expire(now, nullptr);
    for (auto it = taken.begin(); it != taken.end();) {
      if (it->second <= now) {
        free_addresses.insert(it->first);
        it = taken.erase(it);
      } else {
        ++it;
      }
    }
    const auto c = client(static_cast<std::uint32_t>(random() % 1500));
    const auto* held = db.by_client(c.id);
    const auto action = random() % 10;
    if (held != nullptr && action == 0) {
      const auto address = held->address;
      db.remove_client(c.id);
      taken.erase(address);
      free_addresses.insert(address);
    } else if (held != nullptr && action == 1) {
      const auto address = held->address;
      db.mark_bad(address, now);
      taken[address] = now + seconds(300);
    } else {
      const auto chosen = db.choose_address(0, c.identity(), std::nullopt);
      if (held != nullptr) {
        ASSERT_EQ(chosen, held->address);
      } else if (free_addresses.empty()) {
        ASSERT_EQ(chosen, std::nullopt);
        continue;
      } else {
        ASSERT_EQ(chosen, *free_addresses.begin()) << "step " << step;
        free_addresses.erase(free_addresses.begin());
      }
      if (action < 5) {
        db.offer(0, *chosen, c.identity(), ClientType::dhcp, now);
        taken[*chosen] = db.by_client(c.id)->expires;
      } else {
        db.bind(0, *chosen, c.identity(), ClientType::dhcp, 300, now);
        taken[*chosen] = now + seconds(300);
      }
    }
    ASSERT_EQ(db.size(), taken.size()) << "step " << step;
  }
}

}  // namespace
}  // namespace calloutemu::scopes
