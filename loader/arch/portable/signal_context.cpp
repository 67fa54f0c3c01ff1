// An architecture whose saved registers are not read: the fault's location
// then comes from the backtrace alone.
#include "signal_context.h"

namespace calloutemu::loader {

std::uintptr_t signal_context_pc(const void* /*context*/) {
  return 0;
}

}  // namespace calloutemu::loader
