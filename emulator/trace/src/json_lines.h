// A trace record as one line of JSON, in the key order of the README.
#pragma once

#include <string>

#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace::detail {

// Appends the record and a newline.
void append_json_line(std::string& out, const TraceRecord& record);

}  // namespace calloutemu::trace::detail
