#include "platform_reasons.h"

namespace calloutemu::test {

const char* const kMissingFileReason = "No such file or directory";
const char* const kBadStoreFault = "SIGSEGV";
const char* const kAbortFault = "SIGABRT";

}  // namespace calloutemu::test
