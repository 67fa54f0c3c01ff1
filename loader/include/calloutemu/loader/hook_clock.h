// Times hook calls. Two reads a call add up over millions of calls: on x86-64
// this reads the processor's time-stamp counter, about half the cost of
// steady_clock::now(), and converts ticks to nanoseconds with a rate measured
// against steady_clock when the clock is made. Elsewhere it reads
// steady_clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace calloutemu::loader {

class HookClock {
 public:
  using Ticks = std::uint64_t;

  // Spends about a millisecond measuring the counter's rate.
  static HookClock calibrated();

  Ticks now() const;
  std::chrono::nanoseconds between(Ticks start, Ticks end) const;
  bool uses_cycle_counter() const { return uses_cycle_counter_; }

 private:
  HookClock(bool uses_cycle_counter, double nanoseconds_per_tick)
      : uses_cycle_counter_(uses_cycle_counter), nanoseconds_per_tick_(nanoseconds_per_tick) {}

  bool uses_cycle_counter_;
  double nanoseconds_per_tick_;
};

}  // namespace calloutemu::loader
