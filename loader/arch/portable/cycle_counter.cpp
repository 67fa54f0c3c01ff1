// No cycle counter is used on this architecture: HookClock reads steady_clock.
#include "cycle_counter.h"

namespace calloutemu::loader {

bool has_cycle_counter() {
  return false;
}

std::uint64_t read_cycle_counter() {
  return 0;
}

}  // namespace calloutemu::loader
