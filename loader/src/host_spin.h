// Spinning on the shared channel: a bounded busy wait before a side sleeps.
#pragma once

#include <chrono>
#include <thread>

namespace calloutemu::loader::host {

// Tells the processor this is a spin loop (x86's pause), so the spinning
// hyperthread yields to its sibling; elsewhere a no-op.
inline void spin_pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// True once ready() is; false when `limit` went by first. The first
// `busy` of it is a busy wait, the right thing when the other side runs on
// another processor; after that each round yields the processor, which is
// what lets the other side run when both share one (a loaded machine).
template <class Ready>
bool spin_until(Ready ready, std::chrono::nanoseconds limit, std::chrono::nanoseconds busy) {
  const auto start = std::chrono::steady_clock::now();
  bool yielding = false;
  for (unsigned round = 1;; ++round) {
    if (ready()) {
      return true;
    }
    if (yielding) {
      std::this_thread::yield();
    } else {
      spin_pause();
    }
    // Reading the clock costs more than a round: look every 16.
    if (round % 16 == 0) {
      const auto spent = std::chrono::steady_clock::now() - start;
      if (spent > limit) {
        return ready();
      }
      yielding = spent > busy;
    }
  }
}

}  // namespace calloutemu::loader::host
