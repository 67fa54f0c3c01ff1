// Whether a run of bytes is all one value: the canary checks, after every
// hook and once a request is done, over up to 4 KiB.
#pragma once

#include <cstddef>
#include <cstdint>

namespace calloutemu::server {

// True when each of the `length` bytes at `bytes` is `value` (true for none).
// The architecture's file picks the fastest way the processor has.
bool all_bytes_are(const std::uint8_t* bytes, std::size_t length, std::uint8_t value);

// The same in plain C++: every architecture's fallback.
bool all_bytes_are_portable(const std::uint8_t* bytes, std::size_t length, std::uint8_t value);

}  // namespace calloutemu::server
