#include "platform_reasons.h"

namespace calloutemu::test {

const char* const kMissingFileReason = "(error 126)";  // ERROR_MOD_NOT_FOUND
const char* const kBadStoreFault = "EXCEPTION_ACCESS_VIOLATION";
const char* const kAbortFault = "SIGABRT";

}  // namespace calloutemu::test
