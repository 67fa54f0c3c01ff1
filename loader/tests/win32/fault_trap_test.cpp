// Hardware exceptions and abort() inside FaultTrap::run, as a crashing callout raises them.
#include "calloutemu/loader/fault_trap.h"

#include <gtest/gtest.h>
#include <windows.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace calloutemu::loader {
namespace {

void store_to_bad_address() {
  auto* volatile address = reinterpret_cast<volatile int*>(std::uintptr_t{0x10});
  *address = 1;
}

void read_from_bad_address() {
  auto* volatile address = reinterpret_cast<volatile int*>(std::uintptr_t{0x20});
  const int value = *address;
  (void)value;
}

// The volatile operands keep the compiler from seeing the division coming,
// and the volatile result from dropping it.
volatile int g_quotient = 0;
void divide(int dividend) {
  volatile int zero = 0;
  volatile int numerator = dividend;
  g_quotient = numerator / zero;
}

TEST(FaultTrapTest, RunsTheFunctionAndReportsNoFault) {
  FaultTrap trap;
  int calls = 0;
  EXPECT_FALSE(trap.run([&] { ++calls; }).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(FaultTrapTest, ReportsAnAccessViolationWithTheAddressAndTheAccess) {
  FaultTrap trap;
  const auto fault = trap.run(store_to_bad_address);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(EXCEPTION_ACCESS_VIOLATION));
  EXPECT_NE(fault->address, 0u);  // where the faulting instruction is
  EXPECT_NE(fault->description.find("EXCEPTION_ACCESS_VIOLATION (0xC0000005) writing address 0x10"),
            std::string::npos)
      << fault->description;

  const auto read = trap.run(read_from_bad_address);
  ASSERT_TRUE(read.has_value());
  EXPECT_NE(read->description.find("reading address 0x20"), std::string::npos) << read->description;
}

TEST(FaultTrapTest, ReportsAnIntegerDivideByZero) {
  FaultTrap trap;
  g_quotient = 1;
  const auto fault = trap.run([] { divide(7); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(EXCEPTION_INT_DIVIDE_BY_ZERO));
  EXPECT_NE(fault->description.find("EXCEPTION_INT_DIVIDE_BY_ZERO (0xC0000094)"), std::string::npos)
      << fault->description;
  EXPECT_EQ(g_quotient, 1);
}

TEST(FaultTrapTest, ReportsAbort) {
  FaultTrap trap;
  const auto fault = trap.run([] { std::abort(); });
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(SIGABRT));
  EXPECT_EQ(fault->description, "SIGABRT (abort)");
  // The C runtime resets the handler before calling it: a second abort is caught too.
  const auto again = trap.run([] { std::abort(); });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->code, static_cast<std::uint32_t>(SIGABRT));
}

TEST(FaultTrapTest, LeavesSoftwareExceptionsToTheirHandlers) {
  // Only hardware faults are the trap's: an exception raised on purpose goes
  // on to the handlers after it, here the unhandled-exception filter.
  FaultTrap trap;
  static bool reached_filter = false;
  reached_filter = false;
  const auto previous = SetUnhandledExceptionFilter([](EXCEPTION_POINTERS*) -> LONG {
    reached_filter = true;
    return EXCEPTION_CONTINUE_EXECUTION;
  });
  const auto fault = trap.run([] { RaiseException(0xE0001234, 0, 0, nullptr); });
  SetUnhandledExceptionFilter(previous);
  EXPECT_FALSE(fault.has_value()) << fault->description;
  EXPECT_TRUE(reached_filter);
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
  ASSERT_TRUE(trap.run([] { divide(1); }).has_value());
  ASSERT_TRUE(trap.run(store_to_bad_address).has_value());
  int calls = 0;
  EXPECT_FALSE(trap.run([&] { ++calls; }).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(FaultTrapTest, CatchesFaultsOnOtherThreads) {
  FaultTrap trap;
  std::optional<Fault> fault;
  std::thread worker([&] { fault = trap.run(store_to_bad_address); });
  worker.join();
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->code, static_cast<std::uint32_t>(EXCEPTION_ACCESS_VIOLATION));
}

// A thread gives its watch slot back when it ends (there are 128 slots): a
// thread started after many others is still watched.
TEST(FaultTrapTest, ThreadsThatEndGiveTheirWatchSlotsBack) {
  FaultTrap trap;
  trap.set_timeout(std::chrono::milliseconds(200));
  for (int i = 0; i < 300; ++i) {
    std::thread([&] { EXPECT_FALSE(trap.run([] {}).has_value()); }).join();
  }
  std::optional<Fault> fault;
  std::thread([&] {
    fault = trap.run([] {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < until) {
      }
    });
  }).join();
  ASSERT_TRUE(fault.has_value()) << "the thread ran unwatched";
  EXPECT_TRUE(fault->timed_out);
}

TEST(FaultTrapTest, CanBeInstalledAgainAfterItIsGone) {
  { FaultTrap first; }
  FaultTrap second;
  EXPECT_TRUE(second.run(store_to_bad_address).has_value());
  EXPECT_TRUE(second.run([] { std::abort(); }).has_value());
}

TEST(FaultTrapTest, RestoresTheAbortHandlerItReplaced) {
  using Handler = void (*)(int);
  const Handler mine = [](int) {};
  const Handler before = std::signal(SIGABRT, mine);
  { FaultTrap trap; }
  EXPECT_EQ(std::signal(SIGABRT, before), mine);
}

}  // namespace
}  // namespace calloutemu::loader
