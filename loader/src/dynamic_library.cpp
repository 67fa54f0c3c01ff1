#include "calloutemu/loader/dynamic_library.h"

#include <utility>

namespace calloutemu::loader {

DynamicLibrary::DynamicLibrary(DynamicLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}

DynamicLibrary& DynamicLibrary::operator=(DynamicLibrary&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

DynamicLibrary::~DynamicLibrary() {
  close();
}

void DynamicLibrary::close() {
  if (handle_ != nullptr) {
    release(std::exchange(handle_, nullptr));
  }
}

}  // namespace calloutemu::loader
