#include "progress_text.h"

#include <algorithm>
#include <cmath>

#include "text_format.h"

namespace calloutemu::reports::detail {
namespace {

constexpr std::size_t kMinBar = 10;
constexpr std::size_t kMaxBar = 30;

std::string percent_text(double fraction) {
  const auto percent = static_cast<unsigned>(std::floor(fraction * 100));
  std::string text = std::to_string(percent) + '%';
  return std::string(text.size() < 4 ? 4 - text.size() : 0, ' ') + text;
}

std::string eta_text(double elapsed_seconds, double fraction) {
  if (fraction <= 0) {
    return "ETA --:--";
  }
  const double remaining = elapsed_seconds * (1 - fraction) / fraction;
  return "ETA " + clock_text(std::chrono::seconds(std::llround(remaining)));
}

std::string bar_text(double fraction, std::size_t width) {
  const auto filled =
      std::min(width, static_cast<std::size_t>(std::floor(fraction * static_cast<double>(width))));
  return '[' + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
}

}  // namespace

std::string progress_line(const ProgressState& state, std::size_t width) {
  const double elapsed = std::chrono::duration<double>(state.elapsed).count();
  const double rate = elapsed > 0 ? static_cast<double>(state.requests) / elapsed : 0;
  const bool known_total = state.bytes_total > 0;
  const double fraction = known_total ? std::min(1.0, static_cast<double>(state.bytes_done) /
                                                          static_cast<double>(state.bytes_total))
                                      : 0;

  std::string text;
  if (known_total) {
    text += percent_text(fraction) + "  ";
  }
  text += grouped(state.requests) + " requests  " +
          grouped(static_cast<std::uint64_t>(std::llround(rate))) + " req/s";
  if (known_total) {
    text += "  " + eta_text(elapsed, fraction);
  }

  const std::size_t columns = width > 0 ? width - 1 : 0;
  if (known_total && columns >= text.size() + 3 + kMinBar) {
    const std::size_t bar = std::min(kMaxBar, columns - text.size() - 3);
    text = bar_text(fraction, bar) + text;
  }
  if (text.size() > columns) {
    text.resize(columns);
  }
  return text;
}

}  // namespace calloutemu::reports::detail
