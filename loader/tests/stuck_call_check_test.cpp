// The hand-over between a call's end and the watchdog giving it up: whatever
// the timing, a call the watchdog gives up on must not return to its caller,
// and a call that did return must not be reported as given up.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "process_barrier.h"
#include "stuck_call_check.h"

namespace calloutemu::loader {
namespace {

struct Slot {
  std::atomic<std::uint64_t> calls{0};
  std::atomic<std::uint64_t> abandoned{0};
};

// end_watched_call() parks the thread of a call given up on; here the owner
// notes which call that was and goes on.
std::atomic<std::uint64_t> g_parked_call{0};
std::uint64_t g_ending_call = 0;  // the owner's own: set before each end
void note_park() {
  g_parked_call.store(g_ending_call, std::memory_order_relaxed);
}

// Light ends (a plain store, the watchdog's process barrier as the fence)
// where the system has the barrier, and the fenced ends everywhere.
class StuckCallCheckTest : public ::testing::TestWithParam<bool> {};

TEST_P(StuckCallCheckTest, EveryCallGivenUpParksAndNoOtherDoes) {
  const bool light = GetParam();
  if (light && !has_process_barrier()) {
    GTEST_SKIP() << "no process barrier here: calls end fenced";
  }
  Slot slot;
  StuckCallCheck<1> check([](std::thread::id) {}, std::chrono::milliseconds(0), light);
  constexpr std::uint64_t kCalls = 400000;
  std::atomic<bool> done{false};
  // On a busy machine the two threads may seldom run at once: the owner goes
  // on until some calls were given up (or for at most 20 s).
  std::atomic<std::size_t> given_up_count{0};
  constexpr std::size_t kEnoughGivenUp = 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::vector<std::uint64_t> parked;  // by the owner, in order
  std::thread owner([&] {
    std::uint64_t calls = 0;
    while (calls < 2 * kCalls || (given_up_count.load() < kEnoughGivenUp &&
                                  std::chrono::steady_clock::now() < deadline)) {
      slot.calls.store(++calls, std::memory_order_release);
      if (calls % 512 == 1) {
        // Now and then a call long enough for the watchdog to give it up.
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(100);
        while (std::chrono::steady_clock::now() < until) {
        }
      }
      g_ending_call = calls;
      end_watched_call(slot, calls, light, &note_park);
      if (const auto call = g_parked_call.exchange(0, std::memory_order_relaxed); call != 0) {
        parked.push_back(call);
      }
    }
    done.store(true, std::memory_order_release);
  });
  std::uint64_t last_tried = 0;
  std::vector<std::uint64_t> given_up;
  while (!done.load(std::memory_order_acquire)) {
    const auto call = slot.calls.load(std::memory_order_acquire);
    // As the watchdog does: once per call.
    if ((call & 1U) != 0 && call != last_tried) {
      last_tried = call;
      if (check.give_up(0, slot, call)) {
        given_up.push_back(call);
        given_up_count.store(given_up.size());
      }
    }
  }
  owner.join();
  EXPECT_EQ(given_up, parked);
  EXPECT_GE(given_up.size(), kEnoughGivenUp) << "the race was seldom run";
}

INSTANTIATE_TEST_SUITE_P(Ends, StuckCallCheckTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Light" : "Fenced";
                         });

}  // namespace
}  // namespace calloutemu::loader
