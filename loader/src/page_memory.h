// The platform's page API, for GuardedMemory (posix/ and win32/ implement it).
#pragma once

#include <cstddef>

namespace calloutemu::loader::pages {

std::size_t size();
// `bytes` (a multiple of size()) of zeroed, writable pages; nullptr on failure.
void* map(std::size_t bytes);
void unmap(void* start, std::size_t bytes);
bool protect(void* start, std::size_t bytes, bool accessible);

}  // namespace calloutemu::loader::pages
