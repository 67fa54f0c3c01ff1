// The chain fixture: loads the DLLs in ChainDlls and fans every hook out to them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "fixture_test_support.h"
#include "fixtures.h"
#include "json_lines.h"

namespace calloutemu::test {
namespace {

using loader::AttemptOutcome;
using loader::load_callout_chain;
using nlohmann::json;

class ChainTest : public LoadedCalloutTest {
 protected:
  const DHCP_CALLOUT_TABLE& table() const { return load_.callout->table(); }

  // The hooks one child saw, in order.
  std::vector<std::string> hooks_of(const std::string& dll) const {
    return hook_names(records_of(records(), dll));
  }

  std::string first_ = copy_callout(dir_, "recorder", "first.so");
  std::string second_ = copy_callout(dir_, "recorder", "second.so");
};

TEST_F(ChainTest, LoadsEveryChildWithAnEmptyChainAndForwardsStartAndStop) {
  load_ = load_callout_chain({callout_path("chain").string(), first_, second_}, trap_);
  ASSERT_EQ(load_.attempts.size(), 1u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::loaded);
  ASSERT_TRUE(load_.callout.has_value());
  ASSERT_TRUE(load_.start.has_value());
  EXPECT_TRUE(load_.start->called);
  EXPECT_EQ(load_.start->returned, 0u);

  auto calls = records();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0]["dll"], "first.so");
  EXPECT_EQ(calls[0]["hook"], "Entry");
  EXPECT_EQ(calls[0]["ChainDlls"], json::array()) << "the chain passes an empty list, not NULL";
  EXPECT_EQ(calls[0]["CalloutVersion"], 0);
  EXPECT_EQ(calls[1]["dll"], "second.so");
  EXPECT_EQ(calls[1]["hook"], "Entry");
  EXPECT_EQ(calls[1]["ChainDlls"], json::array());
  EXPECT_EQ(calls[2], json({{"dll", "first.so"},
                            {"hook", "Control"},
                            {"ControlCode", DHCP_CONTROL_START},
                            {"Reserved", "0x0"}}));
  EXPECT_EQ(calls[3], json({{"dll", "second.so"},
                            {"hook", "Control"},
                            {"ControlCode", DHCP_CONTROL_START},
                            {"Reserved", "0x0"}}));

  // The children set every hook, so the chain does too; never the reserved two.
  EXPECT_EQ(set_hooks(table()), (std::vector<std::string>{
                                    "DhcpControlHook", "DhcpNewPktHook", "DhcpPktDropHook",
                                    "DhcpPktSendHook", "DhcpAddressDelHook", "DhcpAddressOfferHook",
                                    "DhcpHandleOptionsHook", "DhcpDeleteClientHook"}));

  load_.callout->stop_and_unload(trap_);
  load_.callout.reset();
  calls = records();
  ASSERT_EQ(calls.size(), 6u);
  EXPECT_EQ(calls[4]["dll"], "first.so");
  EXPECT_EQ(calls[4]["ControlCode"], DHCP_CONTROL_STOP);
  EXPECT_EQ(calls[5]["dll"], "second.so");
  EXPECT_EQ(calls[5]["ControlCode"], DHCP_CONTROL_STOP);
}

// One packet's way through the chain's table.
struct PacketRun {
  std::vector<BYTE> bytes;
  BYTE* packet = nullptr;
  DWORD size = 0;
  void* context = nullptr;
  BOOL process = TRUE;
  void* reserved = nullptr;

  // Points packet at bytes and passes it through NewPkt.
  void new_pkt(const DHCP_CALLOUT_TABLE& hooks) {
    packet = bytes.data();
    size = static_cast<DWORD>(bytes.size());
    hooks.DhcpNewPktHook(&packet, &size, 0xC0000201, reserved, &context, &process);
  }

  void drop(const DHCP_CALLOUT_TABLE& hooks, DWORD code) {
    hooks.DhcpPktDropHook(&packet, &size, code, 0xC0000201, reserved, context);
  }
};

TEST_F(ChainTest, GivesEachChildItsOwnContextInEveryHook) {
  load_ = load_callout_chain({callout_path("chain").string(), first_, second_}, trap_);
  ASSERT_TRUE(load_.callout.has_value());
  const auto& hooks = table();

  // Two packets in flight at once, their hooks interleaved.
  PacketRun a{bootp_request({1, 2, 3, 4, 5, 6})};
  PacketRun b{bootp_request({6, 5, 4, 3, 2, 1}, 6, 320)};
  a.reserved = reinterpret_cast<void*>(std::uintptr_t{0xA000});
  b.reserved = reinterpret_cast<void*>(std::uintptr_t{0xB000});
  for (PacketRun* run : {&a, &b}) {
    run->new_pkt(hooks);
    EXPECT_NE(run->context, nullptr);
    EXPECT_EQ(run->process, TRUE);
  }
  DHCP_SERVER_OPTIONS options;
  std::memset(&options, 0, sizeof options);
  options.DNSFlags = 0xFFFF;
  for (PacketRun* run : {&b, &a}) {
    hooks.DhcpHandleOptionsHook(run->packet, run->size, run->reserved, run->context, &options);
  }
  hooks.DhcpAddressOfferHook(a.packet, a.size, DHCP_GIVE_ADDRESS_NEW, 0xC0000201, 0xC000020A,
                             DHCP_CLIENT_DHCP, 3600, a.reserved, a.context);
  hooks.DhcpAddressDelHook(b.packet, b.size, DHCP_PROB_NACKED, 0xC0000201, 0xC000020B, b.reserved,
                           b.context);
  hooks.DhcpPktSendHook(&a.packet, &a.size, DHCP_SEND_PACKET, 0xC0000201, a.reserved, a.context);
  hooks.DhcpPktSendHook(&b.packet, &b.size, DHCP_SEND_PACKET, 0xC0000201, b.reserved, b.context);
  b.drop(hooks, DHCP_DROP_PROCESSED);
  a.drop(hooks, DHCP_DROP_NOADDRESS);
  a.drop(hooks, DHCP_DROP_PROCESSED);
  BYTE hardware[] = {1, 2, 3, 4, 5, 6};
  hooks.DhcpDeleteClientHook(0xC000020A, hardware, sizeof hardware, 0, DHCP_CLIENT_DHCP);

  const std::vector<std::string> expected_hooks = {
      "Entry",         "Control",      "NewPkt",     "NewPkt",      "HandleOptions",
      "HandleOptions", "AddressOffer", "AddressDel", "PktSend",     "PktSend",
      "PktDrop",       "PktDrop",      "PktDrop",    "DeleteClient"};
  const auto all = records();
  std::vector<std::string> tags;
  for (const std::string dll : {"first.so", "second.so"}) {
    auto calls = records_of(all, dll);
    ASSERT_EQ(hook_names(calls), expected_hooks) << dll;
    const json tag_a = calls[2]["PktContext"];
    const json tag_b = calls[3]["PktContext"];
    ASSERT_TRUE(tag_a.is_string());
    EXPECT_NE(tag_a, tag_b);
    EXPECT_NE(tag_a, hex_pointer(a.context)) << "children do not see the chain's own context";
    tags.push_back(tag_a.get<std::string>());
    tags.push_back(tag_b.get<std::string>());

    EXPECT_EQ(calls[2]["Reserved"], "0xa000");
    EXPECT_EQ(calls[2]["Packet"]["fnv1a64"], fnv1a64_hex(a.bytes.data(), a.bytes.size()));
    EXPECT_EQ(calls[3]["Packet"]["length"], 320);
    EXPECT_EQ(calls[4]["PktContext"], tag_b);  // HandleOptions, b first
    EXPECT_EQ(calls[4]["ServerOptions"]["DNSFlags"], 0xFFFF);
    EXPECT_EQ(calls[5]["PktContext"], tag_a);
    EXPECT_EQ(calls[6]["PktContext"], tag_a);  // AddressOffer
    EXPECT_EQ(calls[6]["LeaseTime"], 3600);
    EXPECT_EQ(calls[7]["PktContext"], tag_b);  // AddressDel
    EXPECT_EQ(calls[7]["AltAddress"], 0xC000020Bu);
    EXPECT_EQ(calls[8]["PktContext"], tag_a);  // PktSend
    EXPECT_EQ(calls[9]["PktContext"], tag_b);
    EXPECT_EQ(calls[10]["PktContext"], tag_b);  // PktDrop
    EXPECT_EQ(calls[10]["ControlCode"], DHCP_DROP_PROCESSED);
    EXPECT_EQ(calls[11]["PktContext"], tag_a);
    EXPECT_EQ(calls[11]["ControlCode"], DHCP_DROP_NOADDRESS);
    EXPECT_EQ(calls[12]["PktContext"], tag_a);
    EXPECT_EQ(calls[13]["HwAddress"], "010203040506");
  }
  // Each child's contexts are its own: no tag shows up in both.
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(std::adjacent_find(tags.begin(), tags.end()), tags.end());

  // Every hook reaches the first child before the second.
  for (std::size_t i = 0; i + 1 < all.size(); i += 2) {
    EXPECT_EQ(all[i]["dll"], "first.so") << i;
    EXPECT_EQ(all[i + 1]["dll"], "second.so") << i;
  }
}

TEST_F(ChainTest, StopsNewPktAtTheChildThatDropsThePacket) {
  const auto list = dir_ / "MacList.txt";
  write_text_file(list, "MAC_ACTION = {DENY}\n01-02-03-04-05-06\n");
  ScopedEnv list_env("CALLOUT_MACFILTER_LIST", list.string());
  load_ = load_callout_chain(
      {callout_path("chain").string(), callout_path("macfilter").string(), first_}, trap_);
  ASSERT_TRUE(load_.callout.has_value());
  const auto& hooks = table();

  PacketRun denied{bootp_request({1, 2, 3, 4, 5, 6})};
  denied.new_pkt(hooks);
  EXPECT_EQ(denied.process, FALSE);
  denied.drop(hooks, DHCP_DROP_PROCESSED);

  PacketRun served{bootp_request({1, 2, 3, 4, 5, 7})};
  served.new_pkt(hooks);
  EXPECT_EQ(served.process, TRUE);
  served.drop(hooks, DHCP_DROP_PROCESSED);

  auto calls = records_of(records(), "first.so");
  ASSERT_EQ(hook_names(calls),
            (std::vector<std::string>{"Entry", "Control", "PktDrop", "NewPkt", "PktDrop"}));
  // The denied packet never reached the recorder's NewPkt, so it has no context.
  EXPECT_EQ(calls[2]["PktContext"], "0x0");
  EXPECT_EQ(calls[3]["Packet"]["fnv1a64"], fnv1a64_hex(served.bytes.data(), served.bytes.size()));
  EXPECT_EQ(calls[3]["ProcessIt"], true);
  EXPECT_EQ(calls[4]["PktContext"], calls[3]["PktContext"]);
}

TEST_F(ChainTest, SetsOnlyTheHooksItsChildrenSetAndWhatItNeedsToCleanUp) {
  ScopedEnv list_env("CALLOUT_MACFILTER_LIST", std::nullopt);
  load_ = load_callout_chain({callout_path("chain").string(), callout_path("macfilter").string()},
                             trap_);
  ASSERT_TRUE(load_.callout.has_value());
  // PktDrop too: it frees the per-packet contexts.
  EXPECT_EQ(set_hooks(table()),
            (std::vector<std::string>{"DhcpControlHook", "DhcpNewPktHook", "DhcpPktDropHook"}));
}

TEST_F(ChainTest, SkipsChildrenThatFailAndKeepsTheRest) {
  load_ = load_callout_chain({callout_path("chain").string(), callout_path("noexport").string(),
                              callout_path("entryfails").string(), first_},
                             trap_);
  ASSERT_TRUE(load_.callout.has_value());
  EXPECT_EQ(load_.attempts.size(), 1u);
  EXPECT_EQ(hooks_of("first.so"), (std::vector<std::string>{"Entry", "Control"}));
  // entryfails' aborting hooks must not have been kept: STOP reaches only first.so.
  load_.callout->stop_and_unload(trap_);
  load_.callout.reset();
  EXPECT_EQ(hooks_of("first.so"), (std::vector<std::string>{"Entry", "Control", "Control"}));
}

TEST_F(ChainTest, SkipsItselfWhenListedAgain) {
  const std::string chain = callout_path("chain").string();
  load_ = load_callout_chain({chain, first_, chain, second_}, trap_);
  ASSERT_TRUE(load_.callout.has_value());
  EXPECT_EQ(hook_names(records()),
            (std::vector<std::string>{"Entry", "Entry", "Control", "Control"}));
  EXPECT_EQ(records_of(records(), "second.so").size(), 2u);
}

TEST_F(ChainTest, EntryFailsWithNothingToChain) {
  load_ = load_callout_chain({callout_path("chain").string()}, trap_);
  EXPECT_FALSE(load_.callout.has_value());
  ASSERT_EQ(load_.attempts.size(), 1u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_failed);
  EXPECT_EQ(load_.attempts[0].entry_result, 87u);  // ERROR_INVALID_PARAMETER
}

TEST_F(ChainTest, EntryFailsWhenNoChildLoads) {
  load_ = load_callout_chain({callout_path("chain").string(), (dir_ / "missing.so").string(),
                              callout_path("entryfails").string()},
                             trap_);
  EXPECT_FALSE(load_.callout.has_value());
  ASSERT_EQ(load_.attempts.size(), 3u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_failed);
  EXPECT_EQ(load_.attempts[0].entry_result, 1114u);  // ERROR_DLL_INIT_FAILED
  EXPECT_EQ(load_.attempts[1].outcome, AttemptOutcome::load_failed);
  EXPECT_EQ(load_.attempts[2].outcome, AttemptOutcome::entry_failed);
}

}  // namespace
}  // namespace calloutemu::test
