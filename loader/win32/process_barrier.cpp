// FlushProcessWriteBuffers() is this barrier on Windows, but Wine (8) makes
// it from an mprotect() whose TLB shootdown does not reach every thread:
// loader_tests' StuckCallCheckTest sees calls given up that still returned.
// The callout host runs under Wine, and its hook calls cost a round trip to
// the other process anyway, so each call's end keeps its own fence here.
#include "process_barrier.h"

namespace calloutemu::loader {

bool has_process_barrier() {
  return false;
}

void process_barrier() {}

}  // namespace calloutemu::loader
