// How every report writes a hook fault: "DESCRIPTION at LOCATION", then its
// backtrace, one indented line per frame.
#pragma once

#include <string>

#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::reports {

// "SIGSEGV (...) at address 0x10 at crash.so+0x1139"; the description alone
// when the location is unknown.
std::string fault_summary(const loader::Fault& fault);

// "\n    #0 crash.so+0x1139\n    #1 ..." (empty without a backtrace).
std::string fault_backtrace_lines(const loader::Fault& fault);

}  // namespace calloutemu::reports
