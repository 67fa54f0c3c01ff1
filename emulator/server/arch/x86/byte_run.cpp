// x86-64 with AVX2 (asked of the processor at each call: one load and a test
// of what the compiler's runtime read at start-up): one 32-byte compare per
// 32 bytes, reading the run once, where the portable loop's memcmp reads it
// twice and compares it with itself.
#include <immintrin.h>

#include "byte_run.h"

namespace calloutemu::server {
namespace {

constexpr std::size_t kVector = 32;
constexpr std::size_t kRound = 8 * kVector;

// Nonzero bytes where the 32 bytes at `at` differ from `expected`.
__attribute__((target("avx2"), always_inline)) inline __m256i differs_at(const std::uint8_t* at,
                                                                         __m256i expected) {
  return _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(at)), expected);
}

__attribute__((target("avx2"))) bool all_bytes_are_avx2(const std::uint8_t* bytes,
                                                        std::size_t length, std::uint8_t value) {
  const __m256i expected = _mm256_set1_epi8(static_cast<char>(value));
  const std::uint8_t* const end = bytes + length;
  // Eight vectors a round (the 256 bytes HandedBuffer checks after each hook
  // are one), stopping after the first round that differs.
  while (static_cast<std::size_t>(end - bytes) >= kRound) {
    // Written out: an -O2 build does not unroll a loop here.
    const __m256i low = _mm256_or_si256(
        _mm256_or_si256(differs_at(bytes, expected), differs_at(bytes + kVector, expected)),
        _mm256_or_si256(differs_at(bytes + 2 * kVector, expected),
                        differs_at(bytes + 3 * kVector, expected)));
    const __m256i high =
        _mm256_or_si256(_mm256_or_si256(differs_at(bytes + 4 * kVector, expected),
                                        differs_at(bytes + 5 * kVector, expected)),
                        _mm256_or_si256(differs_at(bytes + 6 * kVector, expected),
                                        differs_at(bytes + 7 * kVector, expected)));
    const __m256i differs = _mm256_or_si256(low, high);
    if (_mm256_testz_si256(differs, differs) == 0) {
      return false;
    }
    bytes += kRound;
  }
  __m256i differs = _mm256_setzero_si256();
  while (static_cast<std::size_t>(end - bytes) >= kVector) {
    differs = _mm256_or_si256(differs, differs_at(bytes, expected));
    bytes += kVector;
  }
  if (bytes != end) {
    // The last 32 bytes of the run, some of them checked already.
    differs = _mm256_or_si256(differs, differs_at(end - kVector, expected));
  }
  return _mm256_testz_si256(differs, differs) != 0;
}

}  // namespace

bool all_bytes_are(const std::uint8_t* bytes, std::size_t length, std::uint8_t value) {
  if (length >= kVector && __builtin_cpu_supports("avx2")) {
    return all_bytes_are_avx2(bytes, length, value);
  }
  return all_bytes_are_portable(bytes, length, value);
}

}  // namespace calloutemu::server
