// The progress meter's line, apart from drawing it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace calloutemu::reports::detail {

struct ProgressState {
  std::chrono::steady_clock::duration elapsed{};
  std::uint64_t requests = 0;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;  // 0: unknown
};

// "[#####.....]  42%  123,456 requests  45,678 req/s  ETA 0:12", at most
// width - 1 columns (the last column would wrap on some terminals); the bar is
// left out when it would be under 10 columns, and percent, bar and ETA when
// the total is unknown. The ETA assumes the rest of the capture is read at
// the rate so far.
std::string progress_line(const ProgressState& state, std::size_t width);

}  // namespace calloutemu::reports::detail
