// Where a fault happened and where a blocked hook was: module+offset and the
// backtrace, from real fixture callouts (crash, block), and the watchdog.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/dynamic_library.h"
#include "calloutemu/loader/fault_trap.h"
#include "fixtures.h"
#include "scoped_env.h"

namespace calloutemu::loader {
namespace {

using test::callout_file_name;
using test::callout_path;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

bool in_module(const std::string& frame, const std::string& module) {
  return frame.rfind(module + "+0x", 0) == 0;
}

HookCall call_new_pkt(InProcessHooks& hooks) {
  BYTE buffer[300] = {};
  BYTE* packet = buffer;
  DWORD size = sizeof buffer;
  void* context = nullptr;
  BOOL process_it = TRUE;
  return hooks.new_pkt(&packet, &size, 0, nullptr, &context, &process_it);
}

TEST(FaultLocationTest, NamesAnExportedFunctionByItsModuleOffsetAndSymbol) {
  auto library = DynamicLibrary::open(callout_path("crash").string());
  ASSERT_TRUE(library) << library.error().message;
  auto entry = library->symbol("DhcpServerCalloutEntry");
  ASSERT_TRUE(entry) << entry.error().message;
  const auto address = reinterpret_cast<std::uintptr_t>(*entry);
  const std::string text = describe_code_address(address);
  EXPECT_THAT(text, StartsWith(callout_file_name("crash") + "+0x")) << text;
  EXPECT_THAT(text, HasSubstr("(DhcpServerCalloutEntry+0x0)")) << text;
  // The offset is from the module's base: the same module a few bytes on.
  const std::string later = describe_code_address(address + 4);
  const auto offset = std::stoull(text.substr(text.find("+0x") + 3), nullptr, 16);
  const auto later_offset = std::stoull(later.substr(later.find("+0x") + 3), nullptr, 16);
  EXPECT_EQ(later_offset, offset + 4);
}

TEST(FaultLocationTest, ACrashInAHookIsLocatedInTheCalloutWithABacktrace) {
  for (const char* kind : {"segv", "fpe", "ill", "abort"}) {
    SCOPED_TRACE(kind);
    test::ScopedEnv hook("CALLOUT_CRASH_HOOK", "NewPkt");
    test::ScopedEnv crash_kind("CALLOUT_CRASH_KIND", kind);
    FaultTrap trap;
    auto load = load_callout_chain({callout_path("crash").string()}, trap);
    ASSERT_TRUE(load.callout.has_value());
    InProcessHooks hooks(load.callout->table(), trap);
    const auto call = call_new_pkt(hooks);
    ASSERT_TRUE(call.fault.has_value());
    EXPECT_FALSE(call.fault->timed_out);
    EXPECT_FALSE(call.fault->location.empty());
    ASSERT_FALSE(call.fault->backtrace.empty());
    EXPECT_LE(call.fault->backtrace.size(), kMaxBacktraceFrames);
    EXPECT_EQ(call.fault->backtrace.front(), call.fault->location);
    const std::string module = callout_file_name("crash");
    if (std::string(kind) != "abort") {
      // The faulting instruction itself is in the callout (abort's is in the C runtime).
      EXPECT_TRUE(in_module(call.fault->location, module)) << call.fault->location;
    }
    bool seen = false;
    for (const auto& frame : call.fault->backtrace) {
      seen = seen || in_module(frame, module);
    }
    EXPECT_TRUE(seen) << ::testing::PrintToString(call.fault->backtrace);
    load.callout->stop_and_unload(trap);
  }
}

TEST(FaultLocationTest, CppExceptionsHaveNoLocation) {
  FaultTrap trap;
  const auto fault = trap.run([] { throw 1; });
  ASSERT_TRUE(fault.has_value());
  EXPECT_TRUE(fault->location.empty());
  EXPECT_TRUE(fault->backtrace.empty());
}

// POSIX interrupts the sleep at once; Windows redirects a thread blocked in a
// system wait only when the wait ends (the stack is read at the limit), so
// the fixture sleeps a bounded time here.
TEST(HookWatchdogTest, InterruptsABlockedHookAndReportsWhereItWas) {
  test::ScopedEnv hook("CALLOUT_BLOCK_HOOK", "NewPkt");
  test::ScopedEnv ms("CALLOUT_BLOCK_MS", "1500");
  FaultTrap trap;
  auto load = load_callout_chain({callout_path("block").string()}, trap);
  ASSERT_TRUE(load.callout.has_value());
  trap.set_timeout(std::chrono::milliseconds(100));
  EXPECT_EQ(trap.timeout(), std::chrono::milliseconds(100));
  InProcessHooks hooks(load.callout->table(), trap);
  const auto started = std::chrono::steady_clock::now();
  const auto call = call_new_pkt(hooks);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(call.fault.has_value());
  EXPECT_TRUE(call.fault->timed_out);
  EXPECT_EQ(call.fault->description, "did not return within 100 ms");
  EXPECT_GE(took, std::chrono::milliseconds(100));
  EXPECT_LT(took, std::chrono::seconds(5));
  bool seen = false;
  for (const auto& frame : call.fault->backtrace) {
    seen = seen || in_module(frame, callout_file_name("block"));
  }
  EXPECT_TRUE(seen) << ::testing::PrintToString(call.fault->backtrace);

  // The trap keeps working, and a call that returns in time is left alone.
  const auto second = call_new_pkt(hooks);  // the fixture blocks on the first call only
  EXPECT_FALSE(second.fault.has_value());
  int calls = 0;
  EXPECT_FALSE(trap.run([&] { ++calls; }).has_value());
  EXPECT_EQ(calls, 1);
  trap.set_timeout(std::chrono::milliseconds(0));
  load.callout->stop_and_unload(trap);
}

// Code running in user mode is interrupted at once on every platform.
TEST(HookWatchdogTest, InterruptsASpinningCallPromptly) {
  FaultTrap trap;
  trap.set_timeout(std::chrono::milliseconds(50));
  volatile bool spin = true;
  const auto started = std::chrono::steady_clock::now();
  const auto fault = trap.run([&] {
    while (spin) {
    }
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_TRUE(fault.has_value());
  EXPECT_TRUE(fault->timed_out);
  EXPECT_FALSE(fault->location.empty());
  EXPECT_FALSE(fault->backtrace.empty());
}

// A call that blocks the interrupt (it masks the signal) is given up `grace`
// after the interrupt, while it still runs: the trap's owner is told which
// thread holds it, once, and that thread never returns from the call, even
// when the hook comes back after all (calloutemu ends the run from another
// thread meanwhile).
TEST(HookWatchdogTest, GivesUpACallThatDoesNotAnswerTheInterrupt) {
  test::ScopedEnv hook("CALLOUT_BLOCK_HOOK", "NewPkt");
  test::ScopedEnv ms("CALLOUT_BLOCK_MS", "1200");
  test::ScopedEnv mask("CALLOUT_BLOCK_MASK", "1");
  FaultTrap trap;
  auto load = load_callout_chain({callout_path("block").string()}, trap);
  ASSERT_TRUE(load.callout.has_value());
  std::mutex lock;
  std::vector<std::thread::id> told;
  std::atomic<std::int64_t> told_after_ms{0};
  const auto started = std::chrono::steady_clock::now();
  trap.set_timeout(
      std::chrono::milliseconds(100),
      [&](std::thread::id owner) {
        told_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        std::lock_guard guard(lock);
        told.push_back(owner);
      },
      std::chrono::milliseconds(300));
  InProcessHooks hooks(load.callout->table(), trap);
  std::atomic<bool> returned{false};
  std::promise<std::thread::id> caller;
  auto caller_id = caller.get_future();
  // Parked for good once given up: the process ends with it.
  std::thread([&hooks, &returned, &caller] {
    caller.set_value(std::this_thread::get_id());
    call_new_pkt(hooks);
    returned = true;
  }).detach();
  const auto id = caller_id.get();
  // The hook sleeps 1.2 s in all; well after that the call has still not returned.
  std::this_thread::sleep_until(started + std::chrono::milliseconds(2500));
  EXPECT_FALSE(returned.load());
  {
    std::lock_guard guard(lock);
    EXPECT_THAT(told, ::testing::ElementsAre(id));
  }
  EXPECT_GE(told_after_ms.load(), 400);   // the limit, then the grace
  EXPECT_LT(told_after_ms.load(), 1200);  // while the call still ran
  trap.set_timeout(std::chrono::milliseconds(0));
  load.callout->stop_and_unload(trap);  // the hook has returned: the thread waits in the trap
}

TEST(HookWatchdogTest, LeavesACallThatReturnsInTimeAlone) {
  test::ScopedEnv hook("CALLOUT_BLOCK_HOOK", "NewPkt");
  test::ScopedEnv ms("CALLOUT_BLOCK_MS", "30");
  FaultTrap trap;
  auto load = load_callout_chain({callout_path("block").string()}, trap);
  ASSERT_TRUE(load.callout.has_value());
  trap.set_timeout(std::chrono::milliseconds(1000));
  InProcessHooks hooks(load.callout->table(), trap);
  const auto call = call_new_pkt(hooks);
  EXPECT_TRUE(call.called);
  EXPECT_FALSE(call.fault.has_value());
  load.callout->stop_and_unload(trap);
}

}  // namespace
}  // namespace calloutemu::loader
