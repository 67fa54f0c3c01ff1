#include "calloutemu/loader/guarded_memory.h"

#include <cstring>

#include "page_memory.h"

namespace calloutemu::loader {
namespace {

std::size_t round_up(std::size_t bytes, std::size_t page) {
  return (bytes + page - 1) / page * page;
}

}  // namespace

GuardedMemory::~GuardedMemory() {
  for (auto& block : blocks_) {
    pages::unmap(block.mapping, block.mapped);
  }
}

std::size_t GuardedMemory::page_size() {
  return pages::size();
}

std::uint8_t* GuardedMemory::allocate(std::size_t size, std::string label) {
  const std::size_t page = pages::size();
  const std::size_t usable = round_up(size == 0 ? 1 : size, page);
  auto* mapping = static_cast<std::uint8_t*>(pages::map(usable + page));
  if (mapping == nullptr) {
    return nullptr;
  }
  if (!pages::protect(mapping + usable, page, false)) {
    pages::unmap(mapping, usable + page);
    return nullptr;
  }
  Block block{.mapping = mapping,
              .mapped = usable + page,
              .data = mapping + usable - size,
              .size = size,
              .label = std::move(label),
              .retired = false};
  const std::lock_guard lock(mutex_);
  blocks_.push_back(std::move(block));
  return blocks_.back().data;
}

GuardedMemory::Block* GuardedMemory::find(const void* data) {
  for (auto& block : blocks_) {
    if (block.data == data) {
      return &block;
    }
  }
  return nullptr;
}

bool GuardedMemory::retire(const void* data, std::uint8_t poison) {
  const std::lock_guard lock(mutex_);
  Block* block = find(data);
  if (block == nullptr) {
    return false;
  }
  if (!block->retired) {
    std::memset(block->data, poison, block->size);
  }
  block->retired = pages::protect(block->mapping, block->mapped - pages::size(), false);
  return block->retired;
}

bool GuardedMemory::reopen(const void* data) {
  const std::lock_guard lock(mutex_);
  Block* block = find(data);
  if (block == nullptr || !pages::protect(block->mapping, block->mapped - pages::size(), true)) {
    return false;
  }
  block->retired = false;
  return true;
}

std::optional<GuardedMemory::Location> GuardedMemory::locate(std::uintptr_t address) const {
  const std::lock_guard lock(mutex_);
  for (const auto& block : blocks_) {
    const auto start = reinterpret_cast<std::uintptr_t>(block.mapping);
    const auto data = reinterpret_cast<std::uintptr_t>(block.data);
    const auto guard = start + block.mapped - pages::size();
    if (address >= guard && address < start + block.mapped) {
      return Location{.label = block.label, .area = Area::past_end, .offset = address - data};
    }
    if (block.retired && address >= start && address < guard) {
      return Location{.label = block.label,
                      .area = Area::retired,
                      .offset = address >= data ? address - data : 0};
    }
  }
  return std::nullopt;
}

}  // namespace calloutemu::loader
