#include <gtest/gtest.h>

#include "calloutemu/scopes/server_config.h"

namespace calloutemu::scopes {
namespace {

constexpr Ipv4 kNet = 0xC0000200u;  // 192.0.2.0/24

ConfigFileSections read_ok(std::string_view text) {
  auto sections = read_config_sections(text, "run.conf");
  EXPECT_TRUE(sections) << sections.error().message;
  return sections ? std::move(sections).value() : ConfigFileSections{};
}

std::string read_error(std::string_view text) {
  const auto sections = read_config_sections(text, "run.conf");
  return sections ? std::string("(no error)") : sections.error().message;
}

TEST(ConfigFile, KeepsTheProgramOptionsAndBlanksOurSections) {
  const auto sections = read_ok(
      "dlls = a.dll\n"
      "trace = out.json  # comment\n"
      "[server]\n"
      "authorized = no\n"
      "[scope lab]\n"
      "subnet = 192.0.2.0/24\n");
  EXPECT_EQ(sections.options_text, "dlls = a.dll\ntrace = out.json  # comment\n\n\n\n\n");
  EXPECT_FALSE(sections.server.authorized);
  ASSERT_EQ(sections.server.scopes.size(), 1u);
}

TEST(ConfigFile, WithoutSectionsEverythingIsTheProgramsAndTheServerHasDefaults) {
  const auto sections = read_ok("dlls = a.dll\n# [server]\nlog = x");
  EXPECT_EQ(sections.options_text, "dlls = a.dll\n# [server]\nlog = x");
  EXPECT_TRUE(sections.server.authorized);
  EXPECT_TRUE(sections.server.scopes.empty());
  EXPECT_TRUE(sections.server.answering_ping.empty());
  EXPECT_EQ(sections.server.offer_hold_time, 60u);
}

TEST(ConfigFile, ALineStartingWithABracketStartsTheSections) {
  EXPECT_EQ(read_error("dlls = a.dll\n[not a header either"),
            "run.conf:2: section header [not a header either has no closing ]");
}

TEST(ConfigFile, AcceptsABomAndCrLf) {
  const auto sections = read_ok(
      "\xEF\xBB\xBF"
      "dlls = a.dll\r\n"
      "[scope lab]\r\n"
      "subnet = 192.0.2.0/24\r\n"
      "domain = example.test\r\n");
  EXPECT_EQ(sections.options_text, "dlls = a.dll\r\n\n\n\n");
  ASSERT_EQ(sections.server.scopes.size(), 1u);
  EXPECT_EQ(sections.server.scopes[0].domain_name, "example.test");
}

TEST(ConfigFile, ReadsEveryServerKey) {
  const auto sections = read_ok(
      "[server]\n"
      "authorized = false\n"
      "answers-ping = 192.0.2.50, 192.0.2.51\n"
      "answers-ping = 192.0.2.52  # accumulates\n"
      "offer-hold-time = 30\n");
  EXPECT_FALSE(sections.server.authorized);
  EXPECT_EQ(sections.server.answering_ping, (std::vector<Ipv4>{kNet + 50, kNet + 51, kNet + 52}));
  EXPECT_EQ(sections.server.offer_hold_time, 30u);
}

TEST(ConfigFile, ReadsEveryScopeKey) {
  const auto sections = read_ok(
      "[scope  my lab ]\n"
      "subnet=192.0.2.0/24\n"
      "server-address = 192.0.2.254\n"
      "range = 192.0.2.10-192.0.2.99\n"
      "range = 192.0.2.150 - 192.0.2.199\n"
      "exclude = 192.0.2.20-192.0.2.29\n"
      "exclude = 192.0.2.42\n"
      "reserve = aa:bb:cc:dd:ee:ff 192.0.2.5\n"
      "reserve = id:01aabbccddeeff 192.0.2.6\n"
      "lease-time = 3600\n"
      "router = 192.0.2.254\n"
      "dns = 192.0.2.53, 192.0.2.54\n"
      "domain = lab.example\n"
      "bootp = yes\n"
      "bootp-lease-time = 7200\n");
  ASSERT_EQ(sections.server.scopes.size(), 1u);
  const auto& scope = sections.server.scopes[0];
  EXPECT_EQ(scope.name, "my lab");
  EXPECT_EQ(scope.subnet.network, kNet);
  EXPECT_EQ(scope.subnet.prefix_length, 24);
  EXPECT_EQ(scope.server_address, kNet + 254);
  ASSERT_EQ(scope.ranges.size(), 2u);
  EXPECT_EQ(scope.ranges[0].first, kNet + 10);
  EXPECT_EQ(scope.ranges[0].last, kNet + 99);
  EXPECT_EQ(scope.ranges[1].first, kNet + 150);
  EXPECT_EQ(scope.ranges[1].last, kNet + 199);
  ASSERT_EQ(scope.exclusions.size(), 2u);
  EXPECT_EQ(scope.exclusions[0].first, kNet + 20);
  EXPECT_EQ(scope.exclusions[0].last, kNet + 29);
  EXPECT_EQ(scope.exclusions[1].first, kNet + 42);
  EXPECT_EQ(scope.exclusions[1].last, kNet + 42);
  ASSERT_EQ(scope.reservations.size(), 2u);
  EXPECT_EQ(scope.reservations[0].key, Reservation::Key::mac);
  EXPECT_EQ(scope.reservations[0].id, "\xaa\xbb\xcc\xdd\xee\xff");
  EXPECT_EQ(scope.reservations[0].address, kNet + 5);
  EXPECT_EQ(scope.reservations[1].key, Reservation::Key::client_id);
  EXPECT_EQ(scope.reservations[1].id, "\x01\xaa\xbb\xcc\xdd\xee\xff");
  EXPECT_EQ(scope.reservations[1].address, kNet + 6);
  EXPECT_EQ(scope.lease_time, 3600u);
  EXPECT_EQ(scope.routers, (std::vector<Ipv4>{kNet + 254}));
  EXPECT_EQ(scope.dns_servers, (std::vector<Ipv4>{kNet + 53, kNet + 54}));
  EXPECT_EQ(scope.domain_name, "lab.example");
  EXPECT_TRUE(scope.serves_bootp);
  EXPECT_EQ(scope.bootp_lease_time, 7200u);
}

TEST(ConfigFile, FillsTheScopeDefaults) {
  const auto sections =
      read_ok("[scope lab]\nsubnet = 192.0.2.0/24\n[scope b]\nsubnet = 10.0.0.0/8\n");
  ASSERT_EQ(sections.server.scopes.size(), 2u);
  const auto& scope = sections.server.scopes[0];
  EXPECT_EQ(scope.server_address, kNet + 1);
  ASSERT_EQ(scope.ranges.size(), 1u);
  EXPECT_EQ(scope.ranges[0].first, kNet + 1);
  EXPECT_EQ(scope.ranges[0].last, kNet + 254);
  EXPECT_EQ(scope.lease_time, kDefaultLeaseTime);
  EXPECT_FALSE(scope.serves_bootp);
  EXPECT_EQ(scope.bootp_lease_time, kInfiniteLease);
  EXPECT_EQ(sections.server.scopes[1].name, "b");
  EXPECT_EQ(sections.server.scopes[1].ranges[0].last, 0x0AFFFFFEu);
}

TEST(ConfigFile, ReadsInfiniteLeaseTimesAndKeysBeforeTheSubnet) {
  const auto sections = read_ok(
      "[scope lab]\n"
      "range = 192.0.2.100-192.0.2.110\n"
      "lease-time = infinite\n"
      "bootp-lease-time = infinite\n"
      "bootp = 0\n"
      "subnet = 192.0.2.0/24\n");
  const auto& scope = sections.server.scopes.at(0);
  EXPECT_EQ(scope.lease_time, kInfiniteLease);
  EXPECT_EQ(scope.ranges.at(0).first, kNet + 100);
  EXPECT_FALSE(scope.serves_bootp);
}

TEST(ConfigFile, ReportsSectionHeaderErrors) {
  EXPECT_EQ(read_error("a = 1\n\n[foo]\n"),
            "run.conf:3: unknown section [foo] (expected [server] or [scope NAME])");
  EXPECT_EQ(read_error("[scopes lab]\n"),
            "run.conf:1: unknown section [scopes lab] (expected [server] or [scope NAME])");
  EXPECT_EQ(read_error("[Server]\n"),
            "run.conf:1: unknown section [Server] (expected [server] or [scope NAME])");
  EXPECT_EQ(read_error("\n\n\n[scope]\n"), "run.conf:4: [scope] needs a name");
  EXPECT_EQ(read_error("[scope   ]\n"), "run.conf:1: [scope] needs a name");
  EXPECT_EQ(read_error("[scope lab\n"), "run.conf:1: section header [scope lab has no closing ]");
  EXPECT_EQ(read_error("[scope a]b]\n"), "run.conf:1: scope name 'a]b' contains ]");
  EXPECT_EQ(read_error("[server]\n[server]\n"),
            "run.conf:2: a second [server] section (the first is at line 1)");
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\n[scope lab]\nsubnet = 192.0.3.0/24\n"),
            "run.conf:3: [scope lab] is given twice (first at line 1)");
}

TEST(ConfigFile, ReportsLineSyntaxErrors) {
  EXPECT_EQ(read_error("[server]\nauthorized\n"),
            "run.conf:2: expected KEY = VALUE, got 'authorized'");
  EXPECT_EQ(read_error("[server]\n = yes\n"), "run.conf:2: expected KEY = VALUE, got '= yes'");
  EXPECT_EQ(read_error("[server]\nauthorized =   # nothing\n"), "run.conf:2: authorized: no value");
}

TEST(ConfigFile, ReportsUnknownKeys) {
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\n\n\n\n\n\n\nrnage = 1\n"),
            "run.conf:9: unknown key 'rnage' in [scope lab]");
  EXPECT_EQ(read_error("[server]\nsubnet = 192.0.2.0/24\n"),
            "run.conf:2: unknown key 'subnet' in [server]");
  EXPECT_EQ(read_error("[scope lab]\nSubnet = 192.0.2.0/24\n"),
            "run.conf:2: unknown key 'Subnet' in [scope lab]")
      << "keys are case-sensitive";
}

TEST(ConfigFile, ReportsAKeyGivenTwice) {
  EXPECT_EQ(read_error("[server]\nauthorized = yes\nauthorized = no\n"),
            "run.conf:3: authorized given twice in [server] (first at line 2)");
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\nlease-time = 5\nlease-time = 6\n"),
            "run.conf:4: lease-time given twice in [scope lab] (first at line 3)");
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\nrouter = 192.0.2.1\n"
                       "router = 192.0.2.2\n"),
            "run.conf:4: router given twice in [scope lab] (first at line 3)");
  EXPECT_EQ(read_error("[scope a]\nsubnet = 192.0.2.0/24\n[scope b]\nsubnet = 192.0.3.0/24\n"
                       "subnet = 192.0.4.0/24\n"),
            "run.conf:5: subnet given twice in [scope b] (first at line 4)");
}

TEST(ConfigFile, ReportsBadServerValues) {
  EXPECT_EQ(read_error("[server]\nauthorized = perhaps\n"),
            "run.conf:2: authorized: 'perhaps' is not yes, no, true, false, 1 or 0");
  EXPECT_EQ(read_error("[server]\nanswers-ping = 192.0.2.1, 300.0.0.1\n"),
            "run.conf:2: answers-ping: '300.0.0.1' is not an IPv4 address");
  EXPECT_EQ(read_error("[server]\noffer-hold-time = 0\n"),
            "run.conf:2: offer-hold-time: 0 is outside 1..86400");
  EXPECT_EQ(read_error("[server]\noffer-hold-time = 1m\n"),
            "run.conf:2: offer-hold-time: '1m' is not a number of seconds");
}

TEST(ConfigFile, ReportsBadScopeValues) {
  const auto error = [](const std::string& line) {
    return read_error("[scope lab]\nsubnet = 192.0.2.0/24\n" + line + "\n");
  };
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.1/24\n"),
            "run.conf:2: subnet: 192.0.2.1/24 has host bits set (the network is 192.0.2.0/24)");
  EXPECT_EQ(error("server-address = 192.0.2"),
            "run.conf:3: server-address: '192.0.2' is not an IPv4 address");
  EXPECT_EQ(error("range = 192.0.2.9-192.0.2.1"),
            "run.conf:3: range: range 192.0.2.9-192.0.2.1 ends before it starts");
  EXPECT_EQ(error("exclude = 192.0.2.x"),
            "run.conf:3: exclude: '192.0.2.x' is not an IPv4 address");
  EXPECT_EQ(error("reserve = aa:bb 192.0.2.5"),
            "run.conf:3: reserve: 'aa:bb' is not a MAC address (aa:bb:cc:dd:ee:ff, "
            "aa-bb-cc-dd-ee-ff or aabbccddeeff) or id:HEX");
  EXPECT_EQ(error("reserve = id:123 192.0.2.5"),
            "run.conf:3: reserve: id:123 has an odd number of hex digits");
  EXPECT_EQ(error("lease-time = 0"),
            "run.conf:3: lease-time: 0 is outside 1..4294967294 (or give infinite)");
  EXPECT_EQ(error("bootp-lease-time = never"),
            "run.conf:3: bootp-lease-time: 'never' is not a number of seconds or infinite");
  EXPECT_EQ(error("router = 192.0.2.1,"), "run.conf:3: router: empty address in the list");
  EXPECT_EQ(error("dns = dns.example"), "run.conf:3: dns: 'dns.example' is not an IPv4 address");
  EXPECT_EQ(error("domain = " + std::string(256, 'a')),
            "run.conf:3: domain: the name is 256 bytes long (at most 255)");
  EXPECT_EQ(error("bootp = sometimes"),
            "run.conf:3: bootp: 'sometimes' is not yes, no, true, false, 1 or 0");
}

TEST(ConfigFile, ReportsAScopeWithoutASubnetAtItsHeader) {
  EXPECT_EQ(read_error("x = 1\n[scope lab]\nrange = 192.0.2.1-192.0.2.9\n[server]\n"),
            "run.conf:2: [scope lab] has no subnet");
  EXPECT_EQ(read_error("[scope lab]\n"), "run.conf:1: [scope lab] has no subnet");
}

TEST(ConfigFile, ReportsItemsOutsideTheSubnetAtTheirLine) {
  const auto error = [](const std::string& line) {
    return read_error("[scope lab]\n" + line + "\nsubnet = 192.0.2.0/24\n");
  };
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\n\n\n\n\nrange = 192.0.3.5\n"),
            "run.conf:7: range: 192.0.3.5 is outside subnet 192.0.2.0/24 of scope lab");
  EXPECT_EQ(error("range = 192.0.2.0-192.0.2.9"),
            "run.conf:2: range: 192.0.2.0-192.0.2.9 includes 192.0.2.0, the network address of "
            "subnet 192.0.2.0/24 of scope lab");
  EXPECT_EQ(error("exclude = 192.0.2.255"),
            "run.conf:2: exclude: 192.0.2.255 includes 192.0.2.255, the broadcast address of "
            "subnet 192.0.2.0/24 of scope lab");
  EXPECT_EQ(error("server-address = 192.0.3.1"),
            "run.conf:2: server-address: 192.0.3.1 is outside subnet 192.0.2.0/24 of scope lab");
  EXPECT_EQ(error("reserve = aabbccddeeff 192.0.2.1"),
            "run.conf:2: reserve: 192.0.2.1 is the server address of scope lab");
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\nreserve = aabbccddeeff 192.0.2.5\n"
                       "reserve = id:0102 192.0.2.5\n"),
            "run.conf:4: reserve: 192.0.2.5 is reserved twice in scope lab (for aa:bb:cc:dd:ee:ff "
            "and id:0102)");
  EXPECT_EQ(read_error("[scope lab]\nsubnet = 192.0.2.0/24\nreserve = aabbccddeeff 192.0.2.5\n"
                       "reserve = AA-BB-CC-DD-EE-FF 192.0.2.6\n"),
            "run.conf:4: reserve: aa:bb:cc:dd:ee:ff is reserved twice in scope lab (192.0.2.5 and "
            "192.0.2.6)");
}

TEST(ConfigFile, ReportsOverlappingScopesAtTheLaterHeader) {
  EXPECT_EQ(read_error("[scope wide]\nsubnet = 10.0.0.0/8\n\n[scope lab]\nsubnet = 192.0.2.0/24\n"
                       "[scope narrow]\nsubnet = 10.9.0.0/16\n"),
            "run.conf:6: subnet 10.9.0.0/16 of scope narrow overlaps subnet 10.0.0.0/8 of scope "
            "wide");
  EXPECT_EQ(read_error("[scope narrow]\nsubnet = 10.9.0.0/16\n[scope wide]\nsubnet = 10.0.0.0/8\n"),
            "run.conf:3: subnet 10.0.0.0/8 of scope wide overlaps subnet 10.9.0.0/16 of scope "
            "narrow");
}

TEST(ConfigFile, NamesTheFileItWasGiven) {
  const auto sections = read_config_sections("[bad]\n", "/etc/calloutemu/lab.conf");
  ASSERT_FALSE(sections);
  EXPECT_EQ(
      sections.error().message,
      "/etc/calloutemu/lab.conf:1: unknown section [bad] (expected [server] or [scope NAME])");
}

TEST(ConfigFile, TreatsHashAsACommentAnywhere) {
  const auto sections = read_ok("[scope lab] # the lab\nsubnet = 192.0.2.0/24#x\ndomain = a#b\n");
  EXPECT_EQ(sections.server.scopes.at(0).domain_name, "a");
}

}  // namespace
}  // namespace calloutemu::scopes
