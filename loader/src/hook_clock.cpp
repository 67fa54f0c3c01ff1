#include "calloutemu/loader/hook_clock.h"

#include "cycle_counter.h"

namespace calloutemu::loader {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kCalibrationTime = std::chrono::milliseconds(1);

std::int64_t steady_nanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

}  // namespace

HookClock HookClock::calibrated() {
  if (!has_cycle_counter()) {
    return HookClock(false, 1.0);
  }
  const auto steady_start = SteadyClock::now();
  const Ticks ticks_start = read_cycle_counter();
  auto steady_end = steady_start;
  while (steady_end - steady_start < kCalibrationTime) {
    steady_end = SteadyClock::now();
  }
  const Ticks ticks_end = read_cycle_counter();
  const auto elapsed = std::chrono::duration<double, std::nano>(steady_end - steady_start).count();
  // A counter that did not move forward (or moved implausibly fast) is not one to time with.
  if (ticks_end <= ticks_start || elapsed <= 0.0) {
    return HookClock(false, 1.0);
  }
  const double per_tick = elapsed / static_cast<double>(ticks_end - ticks_start);
  if (!(per_tick > 1e-3 && per_tick < 1e3)) {
    return HookClock(false, 1.0);
  }
  return HookClock(true, per_tick);
}

HookClock::Ticks HookClock::now() const {
  return uses_cycle_counter_ ? read_cycle_counter() : static_cast<Ticks>(steady_nanoseconds());
}

std::chrono::nanoseconds HookClock::between(Ticks start, Ticks end) const {
  if (end <= start) {
    return std::chrono::nanoseconds::zero();
  }
  const double nanoseconds = static_cast<double>(end - start) * nanoseconds_per_tick_;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(nanoseconds + 0.5));
}

}  // namespace calloutemu::loader
