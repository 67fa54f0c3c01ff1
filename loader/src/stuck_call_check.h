// The watchdog's second limit, the same on every platform: a call it
// interrupted that is still the same call `grace` later will not come back,
// and the trap's owner is told once (FaultTrap::set_timeout's on_stuck).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::loader {

template <std::size_t Slots>
class StuckCallCheck {
 public:
  using Clock = std::chrono::steady_clock;

  StuckCallCheck(StuckCallHandler on_stuck, std::chrono::milliseconds grace)
      : on_stuck_(std::move(on_stuck)), grace_(grace) {}

  void interrupted(std::size_t slot, std::uint64_t call, Clock::time_point now) {
    interrupted_call_[slot] = call;
    interrupted_at_[slot] = now;
  }

  // True when `call`, running in `slot`, was interrupted `grace` ago and has
  // not been reported: the caller then calls report(), outside its locks.
  bool stuck(std::size_t slot, std::uint64_t call, Clock::time_point now) const {
    return on_stuck_ && !reported_ && interrupted_call_[slot] == call && call != 0 &&
           now - interrupted_at_[slot] >= grace_;
  }

  void report() {
    reported_ = true;
    on_stuck_();
  }

 private:
  StuckCallHandler on_stuck_;
  std::chrono::milliseconds grace_;
  std::array<std::uint64_t, Slots> interrupted_call_{};
  std::array<Clock::time_point, Slots> interrupted_at_{};
  bool reported_ = false;
};

}  // namespace calloutemu::loader
