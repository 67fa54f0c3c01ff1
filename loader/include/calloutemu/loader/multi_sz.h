// REG_MULTI_SZ as the server passes ChainDlls: each string NUL-terminated, the
// list closed by one more NUL. An empty list is a single NUL, never nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::loader {

// The returned string holds every terminator (its size() counts them), so
// data() is exactly the buffer handed to DhcpServerCalloutEntry. Fails on an
// empty name, a name with a NUL in it, or malformed UTF-8.
Result<std::u16string> encode_multi_sz(const std::vector<std::string>& names);

// Reads strings up to the first empty one (the list terminator) or the end of
// the data; a last string without its NUL is still taken, as RegQueryValueEx
// callers commonly tolerate. Fails on malformed UTF-16.
Result<std::vector<std::string>> decode_multi_sz(std::u16string_view data);

}  // namespace calloutemu::loader
