// Loading a chain in the callout host is loading it in-process (spec §2),
// and starting something that is no host fails plainly and soon.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/hosted_chain.h"
#include "calloutemu/loader/registry.h"
#include "fixtures.h"
#include "host_test_support.h"
#include "json_lines.h"
#include "run_program.h"
#include "scoped_env.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class HostLoadTest : public ::testing::Test {
 protected:
  // A copy of a fixture under another name, in `dir`.
  static std::string copy_of(const std::filesystem::path& dir, const std::string& fixture,
                             const std::string& name) {
    const auto path = dir / name;
    std::filesystem::copy_file(calloutemu::test::callout_path(fixture), path);
    return path.string();
  }

  std::unique_ptr<HostedChain> launch(HostCommand command = test::native_host()) {
    auto chain = HostedChain::launch(std::move(command), trap_, log_.sink());
    EXPECT_TRUE(chain.ok()) << (chain.ok() ? "" : chain.error().message);
    return chain.ok() ? std::move(chain).value() : nullptr;
  }

  calloutemu::test::TempDir dir_;
  FaultTrap trap_;
  test::LogLines log_;
};

void expect_same_attempts(const std::vector<LoadAttempt>& hosted,
                          const std::vector<LoadAttempt>& in_process) {
  ASSERT_EQ(hosted.size(), in_process.size());
  for (std::size_t i = 0; i < hosted.size(); ++i) {
    SCOPED_TRACE(in_process[i].name);
    EXPECT_EQ(hosted[i].name, in_process[i].name);
    EXPECT_EQ(hosted[i].outcome, in_process[i].outcome);
    EXPECT_EQ(hosted[i].reason, in_process[i].reason);
    EXPECT_EQ(hosted[i].chain_dlls, in_process[i].chain_dlls);
    EXPECT_EQ(hosted[i].entry_result, in_process[i].entry_result);
  }
}

TEST_F(HostLoadTest, AttemptsAreThoseOfTheInProcessLoader) {
  // The same file names in two directories: the records name them alike.
  calloutemu::test::TempDir hosted_dir;
  calloutemu::test::TempDir local_dir;
  std::vector<std::string> hosted_names;
  std::vector<std::string> local_names;
  for (const auto& [fixture, name] :
       std::vector<std::pair<std::string, std::string>>{{"noexport", "a.so"},
                                                        {"entryfails", "b.so"},
                                                        {"entrycrash", "c.so"},
                                                        {"recorder", "d.so"},
                                                        {"recorder", "e.so"}}) {
    hosted_names.push_back(copy_of(hosted_dir.path(), fixture, name));
    local_names.push_back(copy_of(local_dir.path(), fixture, name));
  }
  const auto hosted_record = dir_ / "hosted.jsonl";
  const auto local_record = dir_ / "local.jsonl";

  auto chain = launch(test::native_host({{"CALLOUT_RECORD", hosted_record.string()}}));
  ASSERT_NE(chain, nullptr);
  std::vector<std::string> seen;
  auto hosted = chain->load(hosted_names, [&](const LoadAttempt& a) { seen.push_back(a.name); });
  ASSERT_TRUE(hosted.ok()) << hosted.error().message;

  calloutemu::test::ScopedEnv record("CALLOUT_RECORD", local_record.string());
  ChainLoad local = load_callout_chain(local_names, trap_);
  ASSERT_TRUE(local.callout.has_value());

  // Names differ only by directory.
  auto relocated = local.attempts;
  for (auto& attempt : relocated) {
    auto swap_dir = [&](std::string& name) {
      name = (hosted_dir.path() / std::filesystem::path(name).filename()).string();
    };
    swap_dir(attempt.name);
    for (auto& name : attempt.chain_dlls) {
      swap_dir(name);
    }
  }
  for (auto& attempt : relocated) {
    // The loader's reasons name the file (dlerror): the directory too.
    const auto at = attempt.reason.find(local_dir.path().string());
    if (at != std::string::npos) {
      attempt.reason.replace(at, local_dir.path().string().size(), hosted_dir.path().string());
    }
  }
  expect_same_attempts(hosted->attempts, relocated);
  EXPECT_EQ(seen, (std::vector<std::string>(hosted_names.begin(), hosted_names.begin() + 4)));
  EXPECT_EQ(hosted->attempts[3].outcome, AttemptOutcome::loaded);
  EXPECT_EQ(hosted->attempts[3].chain_dlls, std::vector<std::string>{hosted_names[4]});

  EXPECT_TRUE(hosted->loaded);
  ASSERT_TRUE(hosted->start.has_value());
  EXPECT_TRUE(hosted->start->called);
  EXPECT_EQ(hosted->start->code, static_cast<DWORD>(DHCP_CONTROL_START));
  EXPECT_FALSE(hosted->start->fault.has_value());
  const auto slots = describe_hooks(local.callout->table());
  for (std::size_t i = 0; i < kHookSlotCount; ++i) {
    EXPECT_EQ(hosted->members[i], slots[i].address != 0) << slots[i].name;
  }
  for (std::size_t i = 0; i < kHookCount; ++i) {
    EXPECT_TRUE(hosted->hooks[i]);
    EXPECT_TRUE(chain->hooks().has(static_cast<Hook>(i)));
  }

  const auto stop = chain->stop_and_unload();
  EXPECT_TRUE(stop.called);
  EXPECT_EQ(stop.code, static_cast<DWORD>(DHCP_CONTROL_STOP));
  EXPECT_FALSE(stop.fault.has_value());
  local.callout->stop_and_unload(trap_);

  // The recorder saw Entry (ChainDlls as passed), START, STOP in both.
  const auto hosted_lines = calloutemu::test::read_json_lines(hosted_record);
  const auto local_lines = calloutemu::test::read_json_lines(local_record);
  ASSERT_EQ(calloutemu::test::hook_names(hosted_lines),
            (std::vector<std::string>{"Entry", "Control", "Control"}));
  EXPECT_EQ(calloutemu::test::hook_names(local_lines), calloutemu::test::hook_names(hosted_lines));
  EXPECT_EQ(hosted_lines[0]["dll"], "d.so");
  EXPECT_EQ(hosted_lines[0]["ChainDlls"], nlohmann::json::array({hosted_names[4]}));
  EXPECT_EQ(hosted_lines[1]["ControlCode"], DHCP_CONTROL_START);
  EXPECT_EQ(hosted_lines[2]["ControlCode"], DHCP_CONTROL_STOP);
  EXPECT_EQ(chain->restarts(), 0u);
  EXPECT_TRUE(log_.lines.empty()) << log_.joined();
}

TEST_F(HostLoadTest, NothingLoadableIsAResultNotAnError) {
  auto chain = launch();
  ASSERT_NE(chain, nullptr);
  const auto missing = (dir_ / "missing.so").string();
  auto load = chain->load({missing}, {});
  ASSERT_TRUE(load.ok()) << load.error().message;
  EXPECT_FALSE(load->loaded);
  EXPECT_FALSE(load->start.has_value());
  ASSERT_EQ(load->attempts.size(), 1u);
  EXPECT_EQ(load->attempts[0].outcome, AttemptOutcome::load_failed);
  EXPECT_THAT(load->attempts[0].reason, HasSubstr("missing.so"));
  // No chain: no hook is called, STOP included.
  EXPECT_FALSE(chain->hooks().has(Hook::control));
  EXPECT_FALSE(chain->hooks().control(DHCP_CONTROL_PAUSE).called);
  EXPECT_FALSE(chain->stop_and_unload().called);
}

TEST_F(HostLoadTest, ASecondLoadIsRefused) {
  auto chain = launch();
  ASSERT_NE(chain, nullptr);
  ASSERT_TRUE(chain->load({copy_of(dir_.path(), "noop", "noop.so")}, {}).ok());
  auto again = chain->load({copy_of(dir_.path(), "noop", "other.so")}, {});
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.error().message, HasSubstr("loaded a chain already"));
}

TEST_F(HostLoadTest, ReadRegistryPassesTheHostsAnswerOn) {
  auto chain = launch();
  ASSERT_NE(chain, nullptr);
  auto config = chain->read_registry();
  auto local = read_callout_registry();
  ASSERT_EQ(config.ok(), local.ok());
  if (!local.ok()) {
    EXPECT_EQ(config.error().message, local.error().message);
  }
  // The host still serves after it.
  EXPECT_TRUE(chain->load({copy_of(dir_.path(), "noop", "noop.so")}, {}).ok());
}

TEST_F(HostLoadTest, HooksAfterStopFailPlainly) {
  auto chain = launch();
  ASSERT_NE(chain, nullptr);
  ASSERT_TRUE(chain->load({copy_of(dir_.path(), "noop", "noop.so")}, {}).ok());
  EXPECT_TRUE(chain->stop_and_unload().called);
  const auto call = chain->hooks().control(DHCP_CONTROL_PAUSE);
  EXPECT_TRUE(call.called);
  ASSERT_TRUE(call.fault.has_value());
  EXPECT_THAT(call.fault->description, HasSubstr("stopped"));
}

// --- the host program by itself -----------------------------------------------

TEST(HostProgramTest, VersionHelpAndBadArguments) {
  const auto version = calloutemu::test::run_program({CALLOUTEMU_HOST_PROGRAM, "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, StartsWith("callouthost "));
  EXPECT_THAT(version.out, HasSubstr("protocol 3"));

  const auto help = calloutemu::test::run_program({CALLOUTEMU_HOST_PROGRAM, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out,
              HasSubstr("usage: callouthost --channel PATH [--checked] [--hook-timeout MS]"));

  for (const auto& arguments :
       std::vector<std::vector<std::string>>{{CALLOUTEMU_HOST_PROGRAM},
                                             {CALLOUTEMU_HOST_PROGRAM, "--channel"},
                                             {CALLOUTEMU_HOST_PROGRAM, "--bogus"},
                                             {CALLOUTEMU_HOST_PROGRAM, "--hook-timeout", "x"},
                                             {CALLOUTEMU_HOST_PROGRAM, "--hook-timeout"}}) {
    const auto bad = calloutemu::test::run_program(arguments);
    EXPECT_EQ(bad.exit_code, 2) << arguments.size();
    EXPECT_THAT(bad.err, StartsWith("callouthost: "));
    EXPECT_TRUE(bad.out.empty());
  }
}

TEST(HostProgramTest, AChannelThatIsNotOneIsRefused) {
  calloutemu::test::TempDir dir;
  const auto file = dir / "not-a-channel";
  calloutemu::test::write_text_file(file, std::string(2 * 1024 * 1024, 'x'));
  const auto run =
      calloutemu::test::run_program({CALLOUTEMU_HOST_PROGRAM, "--channel", file.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("not a callout host channel"));
  const auto missing = calloutemu::test::run_program(
      {CALLOUTEMU_HOST_PROGRAM, "--channel", (dir / "missing").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot open the channel"));
}

// --- programs that are not callout hosts -------------------------------------

class NotAHostTest : public HostLoadTest {
 protected:
  std::string launch_error(std::vector<std::string> argv,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    HostCommand command;
    command.argv = std::move(argv);
    command.startup_timeout = timeout;
    const auto started = std::chrono::steady_clock::now();
    auto chain = HostedChain::launch(command, trap_, log_.sink());
    elapsed_ = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(chain.ok());
    return chain.ok() ? "" : chain.error().message;
  }
  std::chrono::steady_clock::duration elapsed_{};
};

TEST_F(NotAHostTest, AProgramThatExitsAtOnce) {
  EXPECT_THAT(launch_error({"/bin/true"}),
              ::testing::AllOf(StartsWith("the callout host died: exited with status 0"),
                               HasSubstr("is /bin/true a callout host?")));
  EXPECT_LT(elapsed_, std::chrono::seconds(5));
}

TEST_F(NotAHostTest, AProgramThatEchoesItsInput) {
  // (The shell ignores the host arguments appended.)
  EXPECT_THAT(launch_error({"/bin/sh", "-c", "exec cat", "sh"}),
              ::testing::AllOf(StartsWith("the callout host broke the protocol: it wrote 0x63"),
                               HasSubstr("is sh a callout host?")));
  EXPECT_LT(elapsed_, std::chrono::seconds(5));
}

TEST_F(NotAHostTest, AProgramThatNeverAnswers) {
  EXPECT_THAT(
      launch_error({"/bin/sh", "-c", "exec sleep 30", "sh"}, std::chrono::milliseconds(500)),
      StartsWith("the callout host did not answer within 0.5 s"));
  EXPECT_LT(elapsed_, std::chrono::seconds(5));
}

TEST_F(NotAHostTest, AProgramThatIsNotThere) {
  const auto missing = (dir_ / "no-such-host").string();
  EXPECT_THAT(launch_error({missing}), StartsWith("cannot start " + missing));
}

TEST_F(NotAHostTest, TheHostRejectsBadArguments) {
  EXPECT_THAT(launch_error({CALLOUTEMU_HOST_PROGRAM, "--no-such-option"}),
              StartsWith("the callout host died: exited with status 2"));
}

}  // namespace
}  // namespace calloutemu::loader
