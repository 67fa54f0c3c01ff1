#include "calloutemu/loader/fault_trap.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

namespace calloutemu::loader {
namespace {

void store_to_bad_address() {
  auto* volatile address = reinterpret_cast<volatile int*>(std::uintptr_t{0x10});
  *address = 1;
}

// Recurses far deeper than any stack allows; the volatile buffer keeps each
// frame real and the volatile limit keeps the compiler from proving anything.
int recurse_deeply(int depth, const volatile int& limit) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (depth >= limit) {
    return frame[0];
  }
  return recurse_deeply(depth + 1, limit) + frame[0];
}

TEST(FaultTrapTest, RunsTheFunctionAndReportsNoFault) {
  FaultTrap trap;
  int calls = 0;
  EXPECT_FALSE(trap.run([&] { ++calls; }).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(FaultTrapTest, ReportsASegfaultWithItsAddress) {
  FaultTrap trap;
  const auto fault = trap.run(store_to_bad_address);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGSEGV));
  EXPECT_EQ(fault->address, 0x10u);
  EXPECT_NE(fault->description.find("SIGSEGV"), std::string::npos) << fault->description;
  EXPECT_NE(fault->description.find("0x10"), std::string::npos) << fault->description;
}

TEST(FaultTrapTest, ReportsAStackOverflow) {
  FaultTrap trap;
  int result = 0;
  const volatile int limit = 1 << 30;
  const auto fault = trap.run([&] { result = recurse_deeply(0, limit); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGSEGV));
  // And the thread's stack is usable again afterwards.
  EXPECT_FALSE(trap.run([&] { result = 1; }).has_value());
  EXPECT_EQ(result, 1);
}

TEST(FaultTrapTest, ReportsAbort) {
  FaultTrap trap;
  const auto fault = trap.run([] { std::abort(); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGABRT));
  EXPECT_NE(fault->description.find("SIGABRT"), std::string::npos);
}

TEST(FaultTrapTest, ReportsARaisedBusError) {
  FaultTrap trap;
  const auto fault = trap.run([] { std::raise(SIGBUS); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGBUS));
}

TEST(FaultTrapTest, ReportsCppExceptions) {
  FaultTrap trap;
  const auto fault = trap.run([] { throw std::runtime_error("boom"); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->description, "C++ exception: boom");
  EXPECT_EQ(fault->code, 0u);

  const auto unknown = trap.run([] { throw 42; });
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->description, "C++ exception of unknown type");
}

TEST(FaultTrapTest, KeepsWorkingAfterAFault) {
  FaultTrap trap;
  ASSERT_TRUE(trap.run(store_to_bad_address).has_value());
  ASSERT_TRUE(trap.run(store_to_bad_address).has_value());
  int calls = 0;
  EXPECT_FALSE(trap.run([&] { ++calls; }).has_value());
  EXPECT_EQ(calls, 1);
}

bool is_blocked(int signal_number) {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, signal_number) == 1;
}

// The handler runs with the signal blocked and run() jumps out of it: a
// signal left blocked would make the next fault of that kind kill the process
// (a hardware fault) or go unnoticed (a raised one).
TEST(FaultTrapTest, DoesNotLeaveTheFaultingSignalBlocked) {
  FaultTrap trap;
  ASSERT_TRUE(trap.run(store_to_bad_address).has_value());
  ASSERT_FALSE(is_blocked(SIGSEGV));
  const auto second = trap.run(store_to_bad_address);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->code, static_cast<std::uint32_t>(SIGSEGV));

  for (const int signal_number : {SIGBUS, SIGFPE, SIGILL, SIGSEGV}) {
    for (int round = 0; round < 2; ++round) {
      const auto fault = trap.run([signal_number] { std::raise(signal_number); });
      ASSERT_TRUE(fault.has_value()) << "signal " << signal_number << ", round " << round;
      EXPECT_EQ(fault->code, static_cast<std::uint32_t>(signal_number));
      EXPECT_FALSE(is_blocked(signal_number)) << "signal " << signal_number;
    }
  }
}

// As sigsetjmp(jump, 1) would: what a faulting callout blocked is unblocked,
// and what the caller had blocked stays blocked.
TEST(FaultTrapTest, RestoresTheCallersSignalMaskAfterAFault) {
  sigset_t original;
  pthread_sigmask(SIG_BLOCK, nullptr, &original);
  sigset_t caller_blocks;
  sigemptyset(&caller_blocks);
  sigaddset(&caller_blocks, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &caller_blocks, nullptr);
  {
    FaultTrap trap;
    const auto fault = trap.run([] {
      sigset_t callout_blocks;
      sigemptyset(&callout_blocks);
      sigaddset(&callout_blocks, SIGUSR1);
      pthread_sigmask(SIG_BLOCK, &callout_blocks, nullptr);
      store_to_bad_address();
    });
    EXPECT_TRUE(fault.has_value());
  }
  EXPECT_FALSE(is_blocked(SIGUSR1));
  EXPECT_TRUE(is_blocked(SIGUSR2));
  EXPECT_FALSE(is_blocked(SIGSEGV));
  pthread_sigmask(SIG_SETMASK, &original, nullptr);
}

TEST(FaultTrapTest, CatchesFaultsOnOtherThreads) {
  FaultTrap trap;
  std::optional<Fault> fault;
  std::thread worker([&] { fault = trap.run(store_to_bad_address); });
  worker.join();
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGSEGV));
}

TEST(FaultTrapTest, CanBeInstalledAgainAfterItIsGone) {
  { FaultTrap first; }
  FaultTrap second;
  EXPECT_TRUE(second.run(store_to_bad_address).has_value());
}

std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++count;
  }
  return count;
}

TEST(FaultTrapTest, StartsAWatchdogThreadOnlyWithATimeout) {
  FaultTrap trap;
  const auto before = thread_count();
  trap.set_timeout(std::chrono::milliseconds(0));
  EXPECT_EQ(thread_count(), before);
  trap.set_timeout(std::chrono::milliseconds(200));
  EXPECT_EQ(thread_count(), before + 1);
  trap.set_timeout(std::chrono::milliseconds(0));
  EXPECT_EQ(thread_count(), before);
}

// The watchdog interrupts a blocked call on any thread, with its stack.
TEST(FaultTrapTest, TheWatchdogInterruptsABlockedCallOnAnotherThread) {
  FaultTrap trap;
  trap.set_timeout(std::chrono::milliseconds(40));
  std::optional<Fault> fault;
  std::thread worker([&] {
    fault = trap.run([] {
      for (;;) {
        pause();
      }
    });
  });
  worker.join();
  ASSERT_TRUE(fault.has_value());
  EXPECT_TRUE(fault->timed_out);
  EXPECT_FALSE(fault->backtrace.empty());
  EXPECT_FALSE(is_blocked(SIGRTMIN + 4));
}

TEST(FaultTrapDeathTest, DoesNotSwallowFaultsOutsideRun) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        FaultTrap trap;
        store_to_bad_address();
      },
      "");
}

}  // namespace
}  // namespace calloutemu::loader
