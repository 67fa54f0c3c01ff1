// Loads real fixture callouts, as the server would (spec §2).
#include "calloutemu/loader/chain_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "fixtures.h"
#include "json_lines.h"
#include "platform_reasons.h"
#include "scoped_env.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::callout_file_name;
using test::callout_path;
using ::testing::ElementsAre;

class ChainLoaderTest : public ::testing::Test {
 protected:
  // A copy of a fixture under another name, in the test's directory.
  std::string copy_of(const std::string& fixture, const std::string& name) {
    const auto path = dir_ / name;
    std::filesystem::copy_file(callout_path(fixture), path);
    return path.string();
  }

  std::vector<nlohmann::json> records() const { return test::read_json_lines(record_); }

  test::TempDir dir_;
  FaultTrap trap_;
  std::filesystem::path record_ = dir_ / "record.jsonl";
  test::ScopedEnv record_env_{"CALLOUT_RECORD", record_.string()};
};

TEST_F(ChainLoaderTest, FirstDllTakesTheChainAndGetsTheRestAsChainDlls) {
  const auto a = copy_of("recorder", callout_file_name("a"));
  const auto b = copy_of("recorder", callout_file_name("b"));
  const auto c = copy_of("recorder", callout_file_name("c"));
  auto load = load_callout_chain({a, b, c}, trap_);

  ASSERT_TRUE(load.callout.has_value());
  EXPECT_EQ(load.callout->name(), a);
  ASSERT_EQ(load.attempts.size(), 1u);
  EXPECT_EQ(load.attempts[0].outcome, AttemptOutcome::loaded);
  EXPECT_EQ(load.attempts[0].chain_dlls, (std::vector<std::string>{b, c}));
  EXPECT_EQ(load.attempts[0].entry_result, 0u);
  ASSERT_TRUE(load.start.has_value());
  EXPECT_TRUE(load.start->called);
  EXPECT_EQ(load.start->code, static_cast<DWORD>(DHCP_CONTROL_START));
  EXPECT_FALSE(load.start->fault.has_value());

  const auto stop = load.callout->stop_and_unload(trap_);
  EXPECT_TRUE(stop.called);
  EXPECT_EQ(stop.code, static_cast<DWORD>(DHCP_CONTROL_STOP));

  const auto seen = records();
  ASSERT_EQ(test::hook_names(seen), (std::vector<std::string>{"Entry", "Control", "Control"}));
  for (const auto& record : seen) {
    EXPECT_EQ(record["dll"], callout_file_name("a"));
  }
  EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array({b, c}));
  EXPECT_EQ(seen[0]["CalloutVersion"], 0);
  EXPECT_EQ(seen[1]["ControlCode"], DHCP_CONTROL_START);
  EXPECT_EQ(seen[1]["Reserved"], "0x0");
  EXPECT_EQ(seen[2]["ControlCode"], DHCP_CONTROL_STOP);
}

TEST_F(ChainLoaderTest, LastDllGetsAnEmptyChainDllsListNotNull) {
  const auto only = copy_of("recorder", callout_file_name("only"));
  auto load = load_callout_chain({only}, trap_);
  ASSERT_TRUE(load.callout.has_value());
  load.callout->stop_and_unload(trap_);
  const auto seen = records();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0]["ChainDlls"], nlohmann::json::array());
}

TEST_F(ChainLoaderTest, FallsThroughEveryKindOfFailureToTheNextDll) {
  test::ScopedEnv crash_mode("CALLOUT_ENTRYCRASH", "segv");
  const std::vector<std::string> names{
      (dir_ / callout_file_name("missing")).string(), callout_path("noexport").string(),
      callout_path("entryfails").string(), callout_path("entrycrash").string(),
      callout_path("recorder").string()};
  std::vector<AttemptOutcome> observed;
  auto load = load_callout_chain(
      names, trap_, [&](const LoadAttempt& attempt) { observed.push_back(attempt.outcome); });

  ASSERT_EQ(load.attempts.size(), 5u);
  EXPECT_THAT(observed, ElementsAre(AttemptOutcome::load_failed, AttemptOutcome::no_entry_point,
                                    AttemptOutcome::entry_failed, AttemptOutcome::entry_crashed,
                                    AttemptOutcome::loaded));
  EXPECT_NE(load.attempts[0].reason.find(test::kMissingFileReason), std::string::npos)
      << load.attempts[0].reason;
  EXPECT_NE(load.attempts[1].reason.find("DhcpServerCalloutEntry"), std::string::npos)
      << load.attempts[1].reason;
  EXPECT_EQ(load.attempts[2].entry_result, 50u);
  EXPECT_NE(load.attempts[2].reason.find("50 (0x00000032)"), std::string::npos)
      << load.attempts[2].reason;
  EXPECT_NE(load.attempts[3].reason.find(test::kBadStoreFault), std::string::npos)
      << load.attempts[3].reason;
  // Each attempt was offered the names after it.
  EXPECT_EQ(load.attempts[3].chain_dlls, (std::vector<std::string>{names[4]}));
  EXPECT_TRUE(load.attempts[4].chain_dlls.empty());

  ASSERT_TRUE(load.callout.has_value());
  EXPECT_EQ(load.callout->name(), names[4]);
  load.callout->stop_and_unload(trap_);
  EXPECT_EQ(test::hook_names(records()), (std::vector<std::string>{"Entry", "Control", "Control"}));
}

TEST_F(ChainLoaderTest, AnEntryThatAbortsIsSkipped) {
  test::ScopedEnv crash_mode("CALLOUT_ENTRYCRASH", "abort");
  auto load = load_callout_chain({callout_path("entrycrash").string()}, trap_);
  ASSERT_EQ(load.attempts.size(), 1u);
  EXPECT_EQ(load.attempts[0].outcome, AttemptOutcome::entry_crashed);
  EXPECT_NE(load.attempts[0].reason.find(test::kAbortFault), std::string::npos)
      << load.attempts[0].reason;
  EXPECT_FALSE(load.callout.has_value());
  EXPECT_FALSE(load.start.has_value());
}

TEST_F(ChainLoaderTest, TableFilledByAFailingEntryIsNeverUsed) {
  // entryfails fills every slot with functions that abort, then returns 50:
  // the table must be dropped, and the next DLL's own table used.
  auto load = load_callout_chain(
      {callout_path("entryfails").string(), callout_path("recorder").string()}, trap_);
  ASSERT_TRUE(load.callout.has_value());
  ASSERT_TRUE(load.start.has_value());
  EXPECT_FALSE(load.start->fault.has_value());
  EXPECT_EQ(load.callout->table().DhcpExtensionHook, nullptr);
  EXPECT_EQ(load.callout->table().DhcpReservedHook, nullptr);
  const auto stop = load.callout->stop_and_unload(trap_);
  EXPECT_FALSE(stop.fault.has_value());
}

TEST_F(ChainLoaderTest, NothingLoadableMeansNoCalloutAndNoStart) {
  auto load = load_callout_chain(
      {callout_path("noexport").string(), callout_path("entryfails").string()}, trap_);
  EXPECT_EQ(load.attempts.size(), 2u);
  EXPECT_FALSE(load.callout.has_value());
  EXPECT_FALSE(load.start.has_value());
}

TEST_F(ChainLoaderTest, EmptyListTriesNothing) {
  auto load = load_callout_chain({}, trap_);
  EXPECT_TRUE(load.attempts.empty());
  EXPECT_FALSE(load.callout.has_value());
}

TEST_F(ChainLoaderTest, ControlWithoutAControlHookIsNotCalled) {
  DHCP_CALLOUT_TABLE empty{};
  LoadedCallout callout("none", DynamicLibrary(), empty);
  const auto call = callout.control(DHCP_CONTROL_PAUSE, trap_);
  EXPECT_FALSE(call.called);
  EXPECT_EQ(call.code, static_cast<DWORD>(DHCP_CONTROL_PAUSE));
}

TEST_F(ChainLoaderTest, StopClearsTheTable) {
  auto load = load_callout_chain({callout_path("recorder").string()}, trap_);
  ASSERT_TRUE(load.callout.has_value());
  EXPECT_NE(load.callout->table().DhcpNewPktHook, nullptr);
  load.callout->stop_and_unload(trap_);
  EXPECT_EQ(load.callout->table().DhcpNewPktHook, nullptr);
  EXPECT_EQ(load.callout->table().DhcpControlHook, nullptr);
}

}  // namespace
}  // namespace calloutemu::loader
