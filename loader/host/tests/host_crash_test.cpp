// A hook that crashes, a host that dies, a restart that fails: each call
// says what happened, the next calls go to a new host, nothing hangs.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "calloutemu/loader/hosted_chain.h"
#include "fixtures.h"
#include "host_test_support.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::ServerBuffer;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr DWORD kIp = 0xC0000201;

class HostCrashTest : public ::testing::Test {
 protected:
  void launch(HostCommand command, const std::string& dll) {
    auto chain = HostedChain::launch(std::move(command), trap_, log_.sink());
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    chain_ = std::move(chain).value();
    auto load = chain_->load({dll}, {});
    ASSERT_TRUE(load.ok() && load->loaded);
  }

  CalloutHooks& hooks() { return chain_->hooks(); }

  // One packet's NewPkt; the buffer and context are kept for its later hooks.
  struct Packet {
    explicit Packet(const std::string& text) : buffer(text) {}
    ServerBuffer buffer;
    BYTE* pointer = buffer.packet;
    DWORD size = buffer.size;
    void* context = nullptr;
    BOOL process = TRUE;
    int reserved = 0;
  };
  HookCall start(Packet& packet) {
    return hooks().new_pkt(&packet.pointer, &packet.size, kIp, &packet.reserved, &packet.context,
                           &packet.process);
  }
  HookCall end(Packet& packet) {
    return hooks().pkt_drop(&packet.pointer, &packet.size, DHCP_DROP_PROCESSED, kIp,
                            &packet.reserved, packet.context);
  }
  HookCall offer(Packet& packet) {
    return hooks().address_offer(packet.pointer, packet.size, DHCP_GIVE_ADDRESS_NEW, kIp, 1,
                                 DHCP_CLIENT_DHCP, 60, &packet.reserved, packet.context);
  }

  static HookCall expect_ok(const HookCall& call) {
    EXPECT_TRUE(call.called);
    EXPECT_FALSE(call.fault.has_value()) << call.fault->description;
    return call;
  }

  pid_t host_pid() { return static_cast<pid_t>(hooks().control(0x99).returned); }

  calloutemu::test::TempDir dir_;
  FaultTrap trap_;
  test::LogLines log_;
  std::unique_ptr<HostedChain> chain_;
};

TEST_F(HostCrashTest, ACrashInNewPktIsTheCallsFaultAndANewHostTakesOver) {
  launch(test::native_host({{"CALLOUT_CRASH_HOOK", "NewPkt"}, {"CALLOUT_CRASH_CALL", "2"}}),
         calloutemu::test::callout_path("crash").string());
  Packet first("first");
  expect_ok(start(first));
  expect_ok(end(first));

  Packet second("second");
  const auto crashed = start(second);
  EXPECT_TRUE(crashed.called);
  ASSERT_TRUE(crashed.fault.has_value());
  EXPECT_EQ(crashed.fault->code, static_cast<std::uint32_t>(SIGSEGV));
  EXPECT_THAT(crashed.fault->description,
              ::testing::AllOf(StartsWith("SIGSEGV (address not mapped) at address 0x10"),
                               EndsWith("(in the callout host)")));
  EXPECT_EQ(crashed.fault->address, 0x10u);
  EXPECT_EQ(chain_->restarts(), 1u);
  ASSERT_EQ(log_.lines.size(), 2u) << log_.joined();
  EXPECT_THAT(log_.lines[0], ::testing::AllOf(StartsWith("callout host: NewPkt failed: SIGSEGV"),
                                              EndsWith("the host exited with status 3")));
  EXPECT_THAT(log_.lines[1], ::testing::AllOf(StartsWith("callout host restarted (restart 1): "),
                                              HasSubstr("crash.so: entry returned 0 (0x00000000)"),
                                              EndsWith("Control(START) returned 0")));

  // The crashed packet still ends; the next one runs in the new host (whose
  // crash fixture counts NewPkt calls afresh).
  expect_ok(end(second));
  Packet third("third");
  expect_ok(start(third));
  expect_ok(end(third));
  const auto stop = chain_->stop_and_unload();
  EXPECT_TRUE(stop.called);
  EXPECT_FALSE(stop.fault.has_value());
  EXPECT_EQ(chain_->restarts(), 1u);
}

TEST_F(HostCrashTest, AnAbortIsTrappedAsWell) {
  launch(test::native_host({{"CALLOUT_CRASH_HOOK", "PktSend"}, {"CALLOUT_CRASH_KIND", "abort"}}),
         calloutemu::test::callout_path("crash").string());
  Packet packet("packet");
  expect_ok(start(packet));
  ServerBuffer reply("reply");
  BYTE* send = reply.packet;
  DWORD size = reply.size;
  const auto call =
      hooks().pkt_send(&send, &size, DHCP_SEND_PACKET, kIp, &packet.reserved, packet.context);
  ASSERT_TRUE(call.fault.has_value());
  EXPECT_EQ(call.fault->code, static_cast<std::uint32_t>(SIGABRT));
  EXPECT_THAT(call.fault->description, StartsWith("SIGABRT"));
  EXPECT_EQ(send, reply.packet);
  EXPECT_EQ(chain_->restarts(), 1u);
}

TEST_F(HostCrashTest, AKilledHostIsFoundDeadAndReplaced) {
  launch(test::native_host(), test::test_callout_path());
  const pid_t first = host_pid();
  ASSERT_GT(first, 0);
  ASSERT_EQ(kill(first, SIGKILL), 0);
  const auto call = hooks().control(DHCP_CONTROL_PAUSE);
  ASSERT_TRUE(call.fault.has_value());
  EXPECT_EQ(call.fault->description, "the callout host died: killed by signal 9");
  EXPECT_EQ(call.fault->code, static_cast<std::uint32_t>(SIGKILL));
  EXPECT_EQ(chain_->restarts(), 1u);
  const pid_t second = host_pid();
  EXPECT_GT(second, 0);
  EXPECT_NE(second, first);
  expect_ok(hooks().control(DHCP_CONTROL_CONTINUE));
}

TEST_F(HostCrashTest, AHostKilledDuringACallEndsTheWait) {
  launch(test::native_host(), test::test_callout_path());
  const pid_t pid = host_pid();
  ASSERT_GT(pid, 0);
  std::thread killer([pid] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(pid, SIGKILL);
  });
  const auto started = std::chrono::steady_clock::now();
  const auto call = hooks().control(0x98);  // sleeps two seconds in the host
  const auto waited = std::chrono::steady_clock::now() - started;
  killer.join();
  ASSERT_TRUE(call.fault.has_value());
  EXPECT_THAT(call.fault->description, StartsWith("the callout host died: killed by signal 9"));
  EXPECT_LT(waited, std::chrono::milliseconds(1800));
}

TEST_F(HostCrashTest, PacketsOfTheCrashedHostGetANullContextInTheNewOne) {
  launch(test::native_host(), test::test_callout_path());
  Packet old_one("Aold");
  expect_ok(start(old_one));
  EXPECT_EQ(expect_ok(offer(old_one)).returned, 7u);

  Packet crashing("X");
  const auto crashed = start(crashing);
  ASSERT_TRUE(crashed.fault.has_value());
  EXPECT_EQ(chain_->restarts(), 1u);

  // The callout in the new host never saw the packet: no context, but its
  // buffer and Reserved are stable from here on.
  EXPECT_EQ(expect_ok(offer(old_one)).returned, 0u);
  expect_ok(end(old_one));
  expect_ok(end(crashing));

  Packet fresh("Afresh");
  expect_ok(start(fresh));
  EXPECT_EQ(expect_ok(offer(fresh)).returned, 7u);
  expect_ok(end(fresh));
}

TEST_F(HostCrashTest, AFailedRestartFailsEveryLaterCall) {
  const auto dll = dir_ / "crash.so";
  std::filesystem::copy_file(calloutemu::test::callout_path("crash"), dll);
  launch(test::native_host({{"CALLOUT_CRASH_HOOK", "NewPkt"}}), dll.string());
  std::filesystem::remove(dll);  // the new host cannot load it

  Packet packet("packet");
  const auto crashed = start(packet);
  ASSERT_TRUE(crashed.fault.has_value());
  EXPECT_EQ(crashed.fault->code, static_cast<std::uint32_t>(SIGSEGV));
  EXPECT_EQ(chain_->restarts(), 1u);
  ASSERT_EQ(log_.lines.size(), 2u) << log_.joined();
  EXPECT_THAT(log_.lines[1],
              ::testing::AllOf(StartsWith("the callout host could not be restarted after a crash"),
                               EndsWith("every later hook call fails")));

  const auto later = hooks().control(DHCP_CONTROL_PAUSE);
  EXPECT_TRUE(later.called);
  ASSERT_TRUE(later.fault.has_value());
  EXPECT_THAT(later.fault->description, StartsWith("the callout host could not be restarted"));
  const auto stop = chain_->stop_and_unload();
  EXPECT_TRUE(stop.called);
  ASSERT_TRUE(stop.fault.has_value());
  EXPECT_THAT(stop.fault->description, StartsWith("the callout host could not be restarted"));
}

// The host's own watchdog interrupts a blocked hook and sends its stack back.
TEST_F(HostCrashTest, TheHostsWatchdogReportsABlockedHookWithItsStack) {
  auto command = test::native_host({{"CALLOUT_BLOCK_HOOK", "NewPkt"}});
  command.hook_timeout = std::chrono::milliseconds(100);
  launch(std::move(command), calloutemu::test::callout_path("block").string());
  Packet first("first");
  const auto started = std::chrono::steady_clock::now();
  const auto blocked = start(first);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_TRUE(blocked.fault.has_value());
  EXPECT_TRUE(blocked.fault->timed_out);
  EXPECT_EQ(blocked.fault->description, "did not return within 100 ms (in the callout host)");
  bool in_block = false;
  for (const auto& frame : blocked.fault->backtrace) {
    in_block = in_block || frame.rfind("block.so+0x", 0) == 0;
  }
  EXPECT_TRUE(in_block) << ::testing::PrintToString(blocked.fault->backtrace);
  EXPECT_EQ(chain_->restarts(), 1u);
  expect_ok(end(first));
  EXPECT_FALSE(chain_->stop_and_unload().fault.has_value());
}

// A hook that masks the watchdog's signal: the client gives up after the
// limit and the grace, kills the host and starts another.
TEST_F(HostCrashTest, TheClientKillsAHostThatDoesNotAnswerInTime) {
  auto command = test::native_host({{"CALLOUT_BLOCK_HOOK", "NewPkt"}, {"CALLOUT_BLOCK_MASK", "1"}});
  command.hook_timeout = std::chrono::milliseconds(100);
  command.hook_timeout_grace = std::chrono::milliseconds(300);
  launch(std::move(command), calloutemu::test::callout_path("block").string());
  Packet first("first");
  const auto started = std::chrono::steady_clock::now();
  const auto blocked = start(first);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, std::chrono::milliseconds(400));
  EXPECT_LT(took, std::chrono::seconds(5));
  ASSERT_TRUE(blocked.fault.has_value());
  EXPECT_TRUE(blocked.fault->timed_out);
  EXPECT_THAT(blocked.fault->description,
              StartsWith("did not return within 100 ms (the callout host did not answer within"));
  EXPECT_TRUE(blocked.fault->backtrace.empty());
  EXPECT_EQ(chain_->restarts(), 1u);
  ASSERT_FALSE(log_.lines.empty());
  EXPECT_THAT(log_.lines[0], EndsWith("the host was killed")) << log_.joined();
  EXPECT_FALSE(chain_->stop_and_unload().fault.has_value());
}

}  // namespace
}  // namespace calloutemu::loader
