// Valid requests of every kind the server serves: for round trips, the
// truncation sweep and the fuzzer's seed corpus.
#pragma once

#include <string>
#include <vector>

#include "packet_maker.h"

namespace calloutemu::dhcp::testing {

struct SampleMessage {
  std::string name;  // also the seed corpus file name
  Bytes bytes;
};

// A relayed DISCOVER with every option DHCP_SERVER_OPTIONS reports, and 82.
Bytes rich_discover();

std::vector<SampleMessage> sample_messages();

}  // namespace calloutemu::dhcp::testing
