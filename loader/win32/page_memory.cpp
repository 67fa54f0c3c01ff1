#include "page_memory.h"

#include <windows.h>

namespace calloutemu::loader::pages {

std::size_t size() {
  static const std::size_t page = [] {
    SYSTEM_INFO info{};
    GetSystemInfo(&info);
    return static_cast<std::size_t>(info.dwPageSize);
  }();
  return page;
}

void* map(std::size_t bytes) {
  return VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

void unmap(void* start, std::size_t) {
  VirtualFree(start, 0, MEM_RELEASE);
}

bool protect(void* start, std::size_t bytes, bool accessible) {
  DWORD old = 0;
  return VirtualProtect(start, bytes, accessible ? PAGE_READWRITE : PAGE_NOACCESS, &old) != 0;
}

}  // namespace calloutemu::loader::pages
