// The bucket layout of HookLatency's histograms: log-linear, as in HDR
// histograms. Values under 256 ns have a bucket each; above, every power of
// two is split into 128 equal buckets, so a bucket is at most 1/128 of its
// lower bound wide, and its midpoint is within 1/256 of any value in it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace calloutemu::reports::detail {

inline constexpr unsigned kSubBucketBits = 7;
inline constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;  // 128
// Larger values are counted in the last bucket (about 18 minutes).
inline constexpr std::uint64_t kLargestTracked = (std::uint64_t{1} << 40) - 1;
inline constexpr unsigned kLargestShift = 40 - (kSubBucketBits + 1);

// The power-of-two band of `value`: 0 for values under 256, else how far
// `value` must be shifted right to fall in [128, 256).
constexpr unsigned bucket_shift(std::uint64_t value) {
  const auto width = static_cast<unsigned>(std::bit_width(value));
  return width > kSubBucketBits + 1 ? width - (kSubBucketBits + 1) : 0;
}

constexpr std::size_t bucket_index(std::uint64_t value) {
  if (value > kLargestTracked) {
    value = kLargestTracked;
  }
  const unsigned shift = bucket_shift(value);
  return static_cast<std::size_t>(shift * kSubBuckets + (value >> shift));
}

inline constexpr std::size_t kBucketCount = bucket_index(kLargestTracked) + 1;

constexpr unsigned index_shift(std::size_t index) {
  return index < 2 * kSubBuckets ? 0 : static_cast<unsigned>(index / kSubBuckets - 1);
}

// The smallest value counted in bucket `index`.
constexpr std::uint64_t bucket_lower(std::size_t index) {
  const unsigned shift = index_shift(index);
  return (static_cast<std::uint64_t>(index) - shift * kSubBuckets) << shift;
}

// How many values bucket `index` holds.
constexpr std::uint64_t bucket_width(std::size_t index) {
  return std::uint64_t{1} << index_shift(index);
}

// The value reported for bucket `index`: its midpoint.
constexpr std::uint64_t bucket_value(std::size_t index) {
  return bucket_lower(index) + (bucket_width(index) - 1) / 2;
}

static_assert(bucket_index(255) == 255);
static_assert(bucket_index(256) == 256 && bucket_lower(256) == 256 && bucket_width(256) == 2);
static_assert(bucket_index(511) == 383 && bucket_lower(383) == 510);
static_assert(bucket_index(512) == 384 && bucket_lower(384) == 512 && bucket_width(384) == 4);
static_assert(index_shift(kBucketCount - 1) == kLargestShift);

}  // namespace calloutemu::reports::detail
