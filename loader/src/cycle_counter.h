// The architecture's cycle counter (arch/<name>/cycle_counter.cpp, chosen by
// CMake): has_cycle_counter() is false when there is none, and then
// read_cycle_counter() is never called.
#pragma once

#include <cstdint>

namespace calloutemu::loader {

bool has_cycle_counter();
std::uint64_t read_cycle_counter();

}  // namespace calloutemu::loader
