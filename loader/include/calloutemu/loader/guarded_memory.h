// Memory for checked mode: blocks whose usable bytes end exactly at a page
// boundary followed by an inaccessible guard page, so a write past the end
// faults at once; a block can be poisoned and made inaccessible after use, so
// a later read faults too. locate() tells which block a faulting address
// belongs to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace calloutemu::loader {

class GuardedMemory {
 public:
  enum class Area : std::uint8_t {
    past_end,  // the guard page right after a block
    retired,   // a block poisoned and protected by retire()
  };
  struct Location {
    std::string label;
    Area area = Area::past_end;
    std::size_t offset = 0;  // from the block's start (past_end: its size and more)
  };

  GuardedMemory() = default;
  ~GuardedMemory();
  GuardedMemory(const GuardedMemory&) = delete;
  GuardedMemory& operator=(const GuardedMemory&) = delete;

  // `size` usable, writable bytes ending at a page end; nullptr when the
  // system refuses the pages. Zero-filled. Lives until this object goes.
  std::uint8_t* allocate(std::size_t size, std::string label);
  // Fills the block with `poison` and makes its pages inaccessible.
  bool retire(const void* block, std::uint8_t poison);
  // Makes a retired block writable again (its bytes stay poisoned).
  bool reopen(const void* block);
  // The block whose guard page or retired pages hold `address`, if any.
  std::optional<Location> locate(std::uintptr_t address) const;

  static std::size_t page_size();

 private:
  struct Block {
    std::uint8_t* mapping = nullptr;  // page-aligned start
    std::size_t mapped = 0;           // usable pages plus the guard page
    std::uint8_t* data = nullptr;
    std::size_t size = 0;
    std::string label;
    bool retired = false;
  };
  Block* find(const void* data);

  mutable std::mutex mutex_;
  std::vector<Block> blocks_;
};

}  // namespace calloutemu::loader
