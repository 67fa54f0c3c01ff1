// What the platform's own reasons look like, for tests that run on every
// platform: each is text that the reason or fault description must contain.
#pragma once

namespace calloutemu::test {

// Loading a file that does not exist.
extern const char* const kMissingFileReason;
// A store through an invalid address (a fixture's crash).
extern const char* const kBadStoreFault;
// abort() (a fixture's crash with CALLOUT_*=abort).
extern const char* const kAbortFault;

}  // namespace calloutemu::test
