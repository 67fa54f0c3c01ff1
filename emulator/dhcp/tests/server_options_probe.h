// Looking at a filled DHCP_SERVER_OPTIONS from tests.
#pragma once

#include <cstddef>

#include "calloutemu/dhcp/server_options.h"
#include "packet_maker.h"

namespace calloutemu::dhcp::testing {

// Where a member points, as an offset into `bytes`; -1 for NULL, -2 outside.
std::ptrdiff_t offset_in(const Bytes& bytes, const void* pointer);

// Parses `bytes` and fills a struct that starts as garbage (fill must zero
// it). Called with a temporary, the pointers it returns dangle: such tests
// only compare them with NULL.
DHCP_SERVER_OPTIONS filled(const Bytes& bytes);

}  // namespace calloutemu::dhcp::testing
