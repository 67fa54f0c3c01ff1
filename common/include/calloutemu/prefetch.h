// A hint that memory is about to be read, so that a cache miss overlaps with
// other work. Compilers without the builtin get no hint.
#pragma once

namespace calloutemu {

inline void prefetch(const void* address) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

}  // namespace calloutemu
