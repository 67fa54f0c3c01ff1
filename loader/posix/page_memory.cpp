#include "page_memory.h"

#include <sys/mman.h>
#include <unistd.h>

namespace calloutemu::loader::pages {

std::size_t size() {
  static const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

void* map(std::size_t bytes) {
  void* start = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return start == MAP_FAILED ? nullptr : start;
}

void unmap(void* start, std::size_t bytes) {
  munmap(start, bytes);
}

bool protect(void* start, std::size_t bytes, bool accessible) {
  return mprotect(start, bytes, accessible ? PROT_READ | PROT_WRITE : PROT_NONE) == 0;
}

}  // namespace calloutemu::loader::pages
