#include "address_bitmap.h"

#include <bit>

namespace calloutemu::scopes {
namespace {

constexpr std::uint64_t kFull = ~std::uint64_t{0};
constexpr std::size_t kNone = ~std::size_t{0};

std::uint64_t bit(std::size_t index) {
  return std::uint64_t{1} << (index % 64);
}

}  // namespace

AddressBitmap::AddressBitmap(std::uint32_t size) : size_(size) {
  std::size_t bits = size;
  while (bits > 0) {
    levels_.emplace_back((bits + 63) / 64, kFull);  // bits past the end stay set: never found
    bits = levels_.back().size();
    if (bits == 1) {
      break;
    }
  }
}

bool AddressBitmap::test(std::uint32_t index) const {
  return (levels_[0][index / 64] & bit(index)) != 0;
}

void AddressBitmap::set(std::uint32_t index) {
  levels_[0][index / 64] |= bit(index);
  update_summaries(index / 64);
}

void AddressBitmap::reset(std::uint32_t index) {
  levels_[0][index / 64] &= ~bit(index);
  update_summaries(index / 64);
}

void AddressBitmap::reset_range(std::uint32_t first, std::uint32_t last) {
  for (std::size_t index = first; index <= last;) {
    const std::size_t word = index / 64;
    const std::size_t end = std::min<std::size_t>(last, word * 64 + 63);  // inclusive
    const std::size_t count = end - index + 1;
    const std::uint64_t mask =
        count == 64 ? kFull : ((std::uint64_t{1} << count) - 1) << (index % 64);
    levels_[0][word] &= ~mask;
    update_summaries(word);
    index = end + 1;
  }
}

void AddressBitmap::update_summaries(std::size_t word) {
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
    const bool full = levels_[level][word] == kFull;
    auto& summary = levels_[level + 1][word / 64];
    const bool marked = (summary & bit(word)) != 0;
    if (full == marked) {
      return;
    }
    summary ^= bit(word);
    word /= 64;
  }
}

std::size_t AddressBitmap::find_clear_at(std::size_t level, std::size_t from) const {
  const auto& words = levels_[level];
  const std::size_t word = from / 64;
  if (word >= words.size()) {
    return kNone;
  }
  const std::uint64_t clear = ~words[word] & (kFull << (from % 64));
  if (clear != 0) {
    return word * 64 + static_cast<std::size_t>(std::countr_zero(clear));
  }
  if (level + 1 == levels_.size()) {
    return kNone;  // the top level is one word
  }
  const std::size_t next = find_clear_at(level + 1, word + 1);  // the next word not full
  if (next == kNone) {
    return kNone;
  }
  return next * 64 + static_cast<std::size_t>(std::countr_zero(~words[next]));
}

std::optional<std::uint32_t> AddressBitmap::find_clear(std::uint32_t from) const {
  if (from >= size_) {
    return std::nullopt;
  }
  const std::size_t found = find_clear_at(0, from);
  if (found == kNone) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(found);
}

}  // namespace calloutemu::scopes
