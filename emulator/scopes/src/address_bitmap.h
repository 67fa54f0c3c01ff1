// One bit per address of a pool (set: taken), with summary levels above it (a set bit: the
// word below is full) so the lowest clear bit is found in a few word reads however full the
// pool is.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace calloutemu::scopes {

class AddressBitmap {
 public:
  AddressBitmap() = default;
  explicit AddressBitmap(std::uint32_t size);  // every bit set

  std::uint32_t size() const { return size_; }
  bool test(std::uint32_t index) const;
  void set(std::uint32_t index);
  void reset(std::uint32_t index);
  void assign(std::uint32_t index, bool value) { value ? set(index) : reset(index); }
  // Clears the bits first..last (inclusive).
  void reset_range(std::uint32_t first, std::uint32_t last);
  // The lowest clear bit at or after `from`.
  std::optional<std::uint32_t> find_clear(std::uint32_t from) const;

 private:
  void update_summaries(std::size_t word);
  std::size_t find_clear_at(std::size_t level, std::size_t from) const;

  std::uint32_t size_ = 0;
  std::vector<std::vector<std::uint64_t>>
      levels_;  // levels_[0]: the addresses; the last has one word
};

}  // namespace calloutemu::scopes
