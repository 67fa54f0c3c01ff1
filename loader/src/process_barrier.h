// An asymmetric fence, for a store-then-load handshake between a side that
// runs it millions of times (the end of every hook call) and one that runs it
// rarely (the watchdog giving a call up). process_barrier() makes every
// thread of the process pass a full memory barrier, so the frequent side
// needs only a compiler barrier between its store and its load, instead of a
// locked instruction that waits for all its earlier stores.
#pragma once

namespace calloutemu::loader {

// Whether process_barrier() is available (Linux: membarrier(2)'s private
// expedited command, from 4.14 on; Windows: no, see win32/). The first call
// sets it up; the answer never changes after it.
bool has_process_barrier();

// Each running thread of this process passes a full memory barrier before
// this returns. Call only when has_process_barrier() is true.
void process_barrier();

}  // namespace calloutemu::loader
