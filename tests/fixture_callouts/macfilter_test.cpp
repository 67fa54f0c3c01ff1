// The macfilter fixture: the list file read at Entry decides NewPkt's ProcessIt.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "fixture_test_support.h"
#include "fixtures.h"
#include "json_lines.h"

namespace calloutemu::test {
namespace {

using loader::load_callout_chain;

constexpr MacAddress kListed = {0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E};
constexpr MacAddress kDashed = {0xAA, 0xBB, 0xCC, 0x00, 0x11, 0x22};
constexpr MacAddress kColoned = {0x02, 0x00, 0x5E, 0x10, 0x00, 0xFF};
constexpr MacAddress kUnlisted = {0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5F};

class MacFilterTest : public LoadedCalloutTest {
 protected:
  // Loads macfilter with CALLOUT_MACFILTER_LIST = a file holding `list`, or
  // naming `path` instead, or unset.
  void load_with_list(const std::string& list) {
    write_text_file(list_path_, list);
    load_with_env(list_path_.string());
  }

  void load_with_env(const std::optional<std::string>& value) {
    ScopedEnv env("CALLOUT_MACFILTER_LIST", value);
    load_ = load_callout_chain({callout_path("macfilter").string()}, trap_);
    ASSERT_TRUE(load_.callout.has_value()) << load_.attempts.at(0).reason;
  }

  // ProcessIt after NewPkt for this packet (TRUE on the way in).
  bool processes(std::vector<BYTE> request) {
    const auto& table = load_.callout->table();
    EXPECT_NE(table.DhcpNewPktHook, nullptr);
    if (table.DhcpNewPktHook == nullptr) {
      return true;
    }
    BYTE* packet = request.data();
    DWORD size = static_cast<DWORD>(request.size());
    void* context = nullptr;
    BOOL process = TRUE;
    EXPECT_EQ(table.DhcpNewPktHook(&packet, &size, 0xC0000201, nullptr, &context, &process), 0u);
    EXPECT_EQ(packet, request.data()) << "macfilter never replaces the packet";
    EXPECT_EQ(context, nullptr);
    return process != FALSE;
  }

  bool processes(const MacAddress& mac) { return processes(bootp_request(mac)); }

  std::filesystem::path list_path_ = dir_ / "MacList.txt";
};

constexpr const char* kListBody =
    "# whole-line comment\n"
    "\n"
    "001A2B3C4D5E\n"
    "aa-bb-cc-00-11-22   # trailing comment\n"
    "  02:00:5e:10:00:ff  \r\n"
    "not-a-mac\n"
    "001A2B3C4D\n";

TEST_F(MacFilterTest, SetsOnlyNewPktAndControl) {
  load_with_list("MAC_ACTION = {DENY}\n");
  EXPECT_EQ(set_hooks(load_.callout->table()),
            (std::vector<std::string>{"DhcpControlHook", "DhcpNewPktHook"}));
  ASSERT_TRUE(load_.start.has_value());
  EXPECT_TRUE(load_.start->called);
}

TEST_F(MacFilterTest, DenyDropsListedClientsOnly) {
  load_with_list(std::string("# list\n\nMAC_ACTION = {DENY}\n") + kListBody);
  EXPECT_FALSE(processes(kListed));
  EXPECT_FALSE(processes(kDashed));
  EXPECT_FALSE(processes(kColoned));
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, AllowServesListedClientsOnly) {
  load_with_list(std::string("MAC_ACTION = {ALLOW}\n") + kListBody);
  EXPECT_TRUE(processes(kListed));
  EXPECT_TRUE(processes(kDashed));
  EXPECT_TRUE(processes(kColoned));
  EXPECT_FALSE(processes(kUnlisted));
}

TEST_F(MacFilterTest, ActionLineToleratesBlanksCaseAndComments) {
  load_with_list("\xEF\xBB\xBF  mac_action  =  {  deny }  # deny these\r\n001a2b3c4d5e\r\n");
  EXPECT_FALSE(processes(kListed));
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, AllowWithAnEmptyListServesNobody) {
  load_with_list("MAC_ACTION={ALLOW}");
  EXPECT_FALSE(processes(kListed));
  EXPECT_FALSE(processes(kUnlisted));
}

TEST_F(MacFilterTest, BadActionLineDisablesFiltering) {
  load_with_list(std::string("MAC_ACTION = {MAYBE}\n") + kListBody);
  EXPECT_TRUE(processes(kListed));
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, AddressBeforeTheActionLineDisablesFiltering) {
  load_with_list("001A2B3C4D5E\nMAC_ACTION = {ALLOW}\n");
  EXPECT_TRUE(processes(kListed));
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, ActionLineWithTrailingTextDisablesFiltering) {
  load_with_list("MAC_ACTION = {ALLOW} please\n001A2B3C4D5E\n");
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, MissingListFileDisablesFiltering) {
  load_with_env((dir_ / "no-such-file.txt").string());
  EXPECT_TRUE(processes(kListed));
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, UnsetVariableDisablesFiltering) {
  load_with_env(std::nullopt);
  EXPECT_TRUE(processes(kUnlisted));
}

TEST_F(MacFilterTest, ReadsTheListAgainAtEachEntry) {
  load_with_list("MAC_ACTION = {DENY}\n001A2B3C4D5E\n");
  EXPECT_FALSE(processes(kListed));
  load_.callout->stop_and_unload(trap_);
  load_.callout.reset();
  load_with_list("MAC_ACTION = {DENY}\n001A2B3C4D5F\n");
  EXPECT_TRUE(processes(kListed));
  EXPECT_FALSE(processes(kUnlisted));
}

TEST_F(MacFilterTest, IgnoresHardwareAddressesThatAreNotSixBytes) {
  load_with_list("MAC_ACTION = {DENY}\n001A2B3C4D5E\n");
  EXPECT_TRUE(processes(bootp_request(kListed, /*hlen=*/16)));
  EXPECT_TRUE(processes(bootp_request(kListed, /*hlen=*/0)));
  EXPECT_FALSE(processes(bootp_request(kListed, /*hlen=*/6)));
}

TEST_F(MacFilterTest, ChecksThePacketSizeBeforeReadingChaddr) {
  load_with_list("MAC_ACTION = {DENY}\n001A2B3C4D5E\n");
  // chaddr is bytes 28..33: 34 bytes hold it, 33 do not.
  EXPECT_FALSE(processes(bootp_request(kListed, 6, 34)));
  EXPECT_TRUE(processes(bootp_request(kListed, 6, 33)));
  EXPECT_TRUE(processes(bootp_request(kListed, 6, 2)));
  EXPECT_TRUE(processes(std::vector<BYTE>{}));
}

TEST_F(MacFilterTest, NeverSetsProcessItBackToTrue) {
  load_with_list("MAC_ACTION = {DENY}\n001A2B3C4D5E\n");
  auto request = bootp_request(kUnlisted);
  BYTE* packet = request.data();
  DWORD size = static_cast<DWORD>(request.size());
  void* context = nullptr;
  BOOL process = FALSE;
  load_.callout->table().DhcpNewPktHook(&packet, &size, 0, nullptr, &context, &process);
  EXPECT_EQ(process, FALSE);
}

}  // namespace
}  // namespace calloutemu::test
