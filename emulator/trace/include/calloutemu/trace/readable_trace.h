// The readable form of a trace record: one line, the same in every run of
// the same input. It leaves out what differs between identical runs (the
// duration, the Reserved and PktContext ids, the sequence number, which the
// line's position already gives) and keeps everything else.
#pragma once

#include <string>

#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace {

// request 3 frame 5: PktDrop(DUPLICATE=1) ip 192.0.2.1 packet 300 bytes #a1b2c3d4e5f60718 -> 0
std::string readable(const TraceRecord& record);
// The same, written over `out` (which keeps its capacity).
void readable(const TraceRecord& record, std::string& out);

}  // namespace calloutemu::trace
