// What a capture reader did with the frames it read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>

#include "calloutemu/pcap_replay/skip_reason.h"

namespace calloutemu::pcap_replay {

// Every frame read is exactly one of: filtered out, skipped, returned.
struct CaptureCounters {
  std::uint64_t frames_read = 0;
  std::uint64_t datagrams_returned = 0;
  std::uint64_t filtered_out = 0;                         // rejected by the BPF filter
  std::array<std::uint64_t, kSkipReasonCount> skipped{};  // indexed by SkipReason

  std::uint64_t skipped_for(SkipReason reason) const {
    return skipped[static_cast<std::size_t>(reason)];
  }
  std::uint64_t skipped_total() const {
    return std::accumulate(skipped.begin(), skipped.end(), std::uint64_t{0});
  }

  CaptureCounters& operator+=(const CaptureCounters& other) {
    frames_read += other.frames_read;
    datagrams_returned += other.datagrams_returned;
    filtered_out += other.filtered_out;
    for (std::size_t i = 0; i < skipped.size(); ++i) {
      skipped[i] += other.skipped[i];
    }
    return *this;
  }
  friend bool operator==(const CaptureCounters&, const CaptureCounters&) = default;
};

}  // namespace calloutemu::pcap_replay
