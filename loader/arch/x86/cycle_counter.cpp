// The time-stamp counter. It ticks at a constant rate on every x86-64 CPU that
// reports an invariant TSC, which is every one made in the last fifteen years.
#include "cycle_counter.h"

#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <x86intrin.h>
#endif

namespace calloutemu::loader {

bool has_cycle_counter() {
  return true;
}

std::uint64_t read_cycle_counter() {
  return __rdtsc();
}

}  // namespace calloutemu::loader
