// A bounded busy wait before a thread sleeps: for hand-overs between threads
// (or processes) that usually take well under a microsecond.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace calloutemu {

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

// Waits on `changed` until ready(), `guard` held on entry and on return. It
// spins first (guard released), so a hand-over between two running threads
// costs no sleep and wake-up. ready() must read only atomics; whoever makes
// it true does so under the guard's mutex and then notifies `changed`.
template <class Ready>
void wait_spinning_first(std::unique_lock<std::mutex>& guard, std::condition_variable& changed,
                         Ready ready) {
  constexpr std::chrono::microseconds kSpin{30};
  constexpr std::chrono::microseconds kBusySpin{5};
  if (ready()) {
    return;
  }
  guard.unlock();
  spin_until(ready, kSpin, kBusySpin);
  guard.lock();
  changed.wait(guard, ready);
}

}  // namespace calloutemu
