// A trace record from its parsed JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace::detail {

// Fills `record` from `object`; on failure returns the problem (without the
// file and line), else an empty string. Never throws.
std::string record_from_json(const nlohmann::json& object, TraceRecord& record);

}  // namespace calloutemu::trace::detail
