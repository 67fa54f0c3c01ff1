#include "calloutemu/loader/fault_trap.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
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
