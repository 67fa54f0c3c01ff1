// The watchdog's second limit, the same on every platform: a call it
// interrupted that is still the same call `grace` later will not come back.
// The watchdog gives it up (its thread never returns from it, even if the
// hook does after all) and tells the trap's owner, once per call
// (FaultTrap::set_timeout's on_stuck).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>

#include "calloutemu/loader/fault_trap.h"
#include "process_barrier.h"

namespace calloutemu::loader {

// give_up()'s verdict in `abandoned`: the call's `calls` with this bit.
inline constexpr std::uint64_t kGivenUp = std::uint64_t{1} << 63;

// What both platforms' watch slots hold for this: `calls` (odd while a call
// runs, written by the owner), `abandoned` (written by the watchdog: the
// `calls` of the call it is giving up on, then its verdict, 0 or that value
// with kGivenUp) and the owner's id.
template <std::size_t Slots>
class StuckCallCheck {
 public:
  using Clock = std::chrono::steady_clock;

  // `light_ends`: the owners end their calls with end_watched_call(light);
  // only true when has_process_barrier().
  StuckCallCheck(StuckCallHandler on_stuck, std::chrono::milliseconds grace,
                 bool light_ends = has_process_barrier())
      : on_stuck_(std::move(on_stuck)), grace_(grace), light_ends_(light_ends) {}

  void interrupted(std::size_t index, std::uint64_t call, Clock::time_point now) {
    interrupted_call_[index] = call;
    interrupted_at_[index] = now;
  }

  // True when `call`, running in slot `index`, was interrupted `grace` ago
  // and has not been given up on: the caller then calls give_up().
  bool stuck(std::size_t index, std::uint64_t call, Clock::time_point now) const {
    return on_stuck_ && given_up_[index] != call && interrupted_call_[index] == call && call != 0 &&
           now - interrupted_at_[index] >= grace_;
  }

  // Gives the call up, so that its thread will never return from it; false
  // when it came back just before (the owner is then told nothing).
  template <class WatchSlot>
  bool give_up(std::size_t index, WatchSlot& slot, std::uint64_t call) {
    given_up_[index] = call;
    // With end_watched_call(): either the call's thread sees the call marked,
    // or this sees the call ended. Each side fences between its store and its
    // load; with light ends, the process barrier is both sides' fence. A
    // thread that saw the mark waits for the verdict that follows it.
    slot.abandoned.store(call);
    if (light_ends_) {
      process_barrier();
    }
    if (slot.calls.load() != call) {
      slot.abandoned.store(0);
      return false;
    }
    slot.abandoned.store(call | kGivenUp);
    return true;
  }

  // Outside the watchdog's locks.
  void report(std::thread::id owner) { on_stuck_(owner); }

 private:
  StuckCallHandler on_stuck_;
  std::chrono::milliseconds grace_;
  std::array<std::uint64_t, Slots> interrupted_call_{};
  std::array<Clock::time_point, Slots> interrupted_at_{};
  std::array<std::uint64_t, Slots> given_up_{};
  bool light_ends_;
};

// The end of a call on its own thread: `calls` is made even again; a call
// the watchdog gave up on does not return to its caller, whose thread then
// waits in `park` for good. A light end (when has_process_barrier()) leaves
// the fence between the store and the load to give_up()'s process barrier,
// instead of a locked instruction at the end of every hook call (about 5 ns
// each, measured on the project's machine).
template <class WatchSlot>
void end_watched_call(WatchSlot& slot, std::uint64_t& calls, bool light, void (*park)()) {
  if (light) {
    slot.calls.store(++calls, std::memory_order_release);
    std::atomic_signal_fence(std::memory_order_seq_cst);
  } else {
    slot.calls.store(++calls);
  }
  const std::uint64_t call = calls - 1;
  std::uint64_t mark = slot.abandoned.load();
  while (mark == call) {
    // The watchdog is deciding about this call: its verdict follows at once.
    std::this_thread::yield();
    mark = slot.abandoned.load();
  }
  if (mark == (call | kGivenUp)) {
    park();
  }
}

}  // namespace calloutemu::loader
