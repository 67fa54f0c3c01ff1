// A hash set of 32-bit indices into storage its owner keeps (open addressing, linear probing,
// backward-shift deletion), at most 3/4 full. Each cell holds a 32-bit tag of the key beside
// the index (8 bytes a cell), so a probe reads the owner's storage only when the tags match,
// and the table rehashes from its tags alone. A key that fits in 32 bits (an IPv4 address)
// is its own tag and never needs the storage.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "calloutemu/prefetch.h"

namespace calloutemu {

class IndexTable {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  std::size_t size() const { return count_; }

  // The index whose key has this tag and matches (matches(index) is true); kNone if none.
  template <class Matches>
  std::uint32_t find(std::uint32_t tag, Matches&& matches) const {
    if (count_ == 0) {
      return kNone;
    }
    for (std::size_t cell = home(tag);; cell = next(cell)) {
      const std::uint64_t entry = cells_[cell];
      if (entry == kEmpty) {
        return kNone;
      }
      if (tag_of(entry) == tag && matches(index_of(entry))) {
        return index_of(entry);
      }
    }
  }

  // Starts loading the cell where a search for `tag` begins.
  void prefetch_home(std::uint32_t tag) const {
    if (!cells_.empty()) {
      prefetch(&cells_[home(tag)]);
    }
  }

  void insert(std::uint32_t tag, std::uint32_t index) {
    if ((count_ + 1) * 4 > cells_.size() * 3) {
      grow();
    }
    place(tag, index);
    ++count_;
  }

  // Removes `index`, which must be present under `tag`.
  void erase(std::uint32_t tag, std::uint32_t index) {
    const std::uint64_t wanted_entry = entry(tag, index);
    std::size_t hole = home(tag);
    while (cells_[hole] != wanted_entry) {
      hole = next(hole);
    }
    // Moves back every later cell of the probe run that may not stay behind the hole.
    for (std::size_t cell = next(hole); cells_[cell] != kEmpty; cell = next(cell)) {
      const std::size_t wanted = home(tag_of(cells_[cell]));
      if (((cell - wanted) & mask()) >= ((cell - hole) & mask())) {
        cells_[hole] = cells_[cell];
        hole = cell;
      }
    }
    cells_[hole] = kEmpty;
    --count_;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // index kNone is never stored

  static std::uint64_t entry(std::uint32_t tag, std::uint32_t index) {
    return (std::uint64_t{tag} << 32) | index;
  }
  static std::uint32_t tag_of(std::uint64_t entry) {
    return static_cast<std::uint32_t>(entry >> 32);
  }
  static std::uint32_t index_of(std::uint64_t entry) { return static_cast<std::uint32_t>(entry); }

  std::size_t mask() const { return cells_.size() - 1; }
  std::size_t next(std::size_t cell) const { return (cell + 1) & mask(); }
  // Fibonacci hashing: the top bits of the product, so regular tags (addresses) spread too.
  std::size_t home(std::uint32_t tag) const {
    return static_cast<std::size_t>((tag * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void place(std::uint32_t tag, std::uint32_t index) {
    std::size_t cell = home(tag);
    while (cells_[cell] != kEmpty) {
      cell = next(cell);
    }
    cells_[cell] = entry(tag, index);
  }

  void grow() {
    std::vector<std::uint64_t> old(cells_.empty() ? 16 : cells_.size() * 2, kEmpty);
    old.swap(cells_);
    shift_ = 64 - std::countr_zero(cells_.size());
    for (const auto cell : old) {
      if (cell != kEmpty) {
        place(tag_of(cell), index_of(cell));
      }
    }
  }

  std::vector<std::uint64_t> cells_;
  std::size_t count_ = 0;
  int shift_ = 64;
};

}  // namespace calloutemu
