// The fixtures that must not load: how the loader skips each, and what it keeps.
#include <gtest/gtest.h>

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

using LoaderOutcomeTest = LoadedCalloutTest;

TEST_F(LoaderOutcomeTest, EntryFailsTableIsDiscardedAndNeverCalled) {
  ScopedEnv list_env("CALLOUT_MACFILTER_LIST", std::nullopt);
  load_ = load_callout_chain(
      {callout_path("entryfails").string(), callout_path("macfilter").string()}, trap_);
  ASSERT_EQ(load_.attempts.size(), 2u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_failed);
  EXPECT_EQ(load_.attempts[0].entry_result, 50u);  // ERROR_NOT_SUPPORTED
  EXPECT_EQ(load_.attempts[1].outcome, AttemptOutcome::loaded);
  ASSERT_TRUE(load_.callout.has_value());
  ASSERT_TRUE(load_.start.has_value());
  EXPECT_FALSE(load_.start->fault.has_value());

  // macfilter sets two hooks; anything else would be entryfails' leftovers.
  EXPECT_EQ(set_hooks(load_.callout->table()),
            (std::vector<std::string>{"DhcpControlHook", "DhcpNewPktHook"}));
}

TEST_F(LoaderOutcomeTest, EntryFailsAloneLoadsNothing) {
  load_ = load_callout_chain({callout_path("entryfails").string()}, trap_);
  EXPECT_FALSE(load_.callout.has_value());
  EXPECT_FALSE(load_.start.has_value());
  ASSERT_EQ(load_.attempts.size(), 1u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_failed);
  EXPECT_NE(load_.attempts[0].reason.find("50"), std::string::npos) << load_.attempts[0].reason;
}

TEST_F(LoaderOutcomeTest, NoExportIsSkippedWithTheReason) {
  load_ = load_callout_chain({callout_path("noexport").string(), callout_path("recorder").string()},
                             trap_);
  ASSERT_EQ(load_.attempts.size(), 2u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::no_entry_point);
  EXPECT_NE(load_.attempts[0].reason.find("DhcpServerCalloutEntry"), std::string::npos)
      << load_.attempts[0].reason;
  EXPECT_FALSE(load_.attempts[0].entry_result.has_value());
  EXPECT_EQ(load_.attempts[1].outcome, AttemptOutcome::loaded);
  // The recorder is the last DLL: its ChainDlls is empty.
  const auto calls = records();
  ASSERT_EQ(hook_names(calls), (std::vector<std::string>{"Entry", "Control"}));
  EXPECT_EQ(calls[0].at("ChainDlls"), nlohmann::json::array());
}

TEST_F(LoaderOutcomeTest, EntryCrashIsSkippedWithTheFault) {
  ScopedEnv mode("CALLOUT_ENTRYCRASH", std::nullopt);
  load_ = load_callout_chain(
      {callout_path("entrycrash").string(), callout_path("recorder").string()}, trap_);
  ASSERT_EQ(load_.attempts.size(), 2u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_crashed);
  EXPECT_NE(load_.attempts[0].reason.find("SIGSEGV"), std::string::npos)
      << load_.attempts[0].reason;
  EXPECT_EQ(load_.attempts[1].outcome, AttemptOutcome::loaded);
  EXPECT_EQ(hook_names(records()), (std::vector<std::string>{"Entry", "Control"}));
}

TEST_F(LoaderOutcomeTest, EntryCrashCanAbortInstead) {
  ScopedEnv mode("CALLOUT_ENTRYCRASH", "abort");
  load_ = load_callout_chain(
      {callout_path("entrycrash").string(), callout_path("recorder").string()}, trap_);
  ASSERT_EQ(load_.attempts.size(), 2u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::entry_crashed);
  EXPECT_NE(load_.attempts[0].reason.find("SIGABRT"), std::string::npos)
      << load_.attempts[0].reason;
  EXPECT_EQ(load_.attempts[1].outcome, AttemptOutcome::loaded);
}

}  // namespace
}  // namespace calloutemu::test
