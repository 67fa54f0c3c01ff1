#include "calloutemu/loader/hook_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cycle_counter.h"

namespace calloutemu::loader {
namespace {

using std::chrono::nanoseconds;

TEST(HookClockTest, MeasuresWhatSteadyClockMeasures) {
  const auto clock = HookClock::calibrated();
  const auto steady_start = std::chrono::steady_clock::now();
  const auto start = clock.now();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  const auto end = clock.now();
  const auto steady = std::chrono::steady_clock::now() - steady_start;
  const auto measured = clock.between(start, end);
  // Both clocks time the same interval; the steady one's also covers the two hook clock reads.
  EXPECT_GE(measured.count(), nanoseconds(std::chrono::milliseconds(30)).count() * 97 / 100);
  EXPECT_LE(measured.count(), nanoseconds(steady).count() * 103 / 100);
}

TEST(HookClockTest, UsesTheCycleCounterWhereThereIsOne) {
  EXPECT_EQ(HookClock::calibrated().uses_cycle_counter(), has_cycle_counter());
}

TEST(HookClockTest, AnEndBeforeTheStartIsZero) {
  const auto clock = HookClock::calibrated();
  const auto now = clock.now();
  EXPECT_EQ(clock.between(now + 1000, now), nanoseconds::zero());
  EXPECT_EQ(clock.between(now, now), nanoseconds::zero());
}

TEST(HookClockTest, ConsecutiveReadsDoNotGoBackwards) {
  const auto clock = HookClock::calibrated();
  auto previous = clock.now();
  for (int i = 0; i < 100000; ++i) {
    const auto next = clock.now();
    ASSERT_GE(next, previous);
    previous = next;
  }
}

}  // namespace
}  // namespace calloutemu::loader
